package dev.portcullis.identity.oidc;

import static dev.portcullis.identity.IdentityTestProfile.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionSuccessResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.oauth2.sdk.token.Token;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.client.OAuthClients;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What tokens can do after they are issued: refresh with rotation and reuse detection, code reuse,
 * introspection, revocation and RP-initiated logout. The protocol side is driven by an independent
 * client library (Nimbus oauth2-oidc-sdk); the sign-in forms by plain HTTP.
 */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class TokenLifecycleTest {

    static final ClientID E2E = new ClientID(DemoSeed.E2E_CLIENT);
    static final ClientID CLI = new ClientID(DemoSeed.CLI_CLIENT);
    static final URI E2E_REDIRECT = URI.create(DemoSeed.E2E_REDIRECT);
    static final ClientID LOGOUT_CLIENT = new ClientID("test-logout");
    static final URI LOGOUT_REDIRECT = URI.create("https://rp.example.test/cb");
    static final String SIGNED_OUT = "https://rp.example.test/signed-out";

    @jakarta.inject.Inject
    TestAccounts accounts;

    @jakarta.inject.Inject
    TestClock clock;

    @jakarta.inject.Inject
    OAuthClients clients;

    OIDCProviderMetadata provider;

    @BeforeEach
    void discover() throws Throwable {
        provider = OIDCProviderMetadata.resolve(new Issuer(ISSUER));
        VertxContextSupport.subscribeAndAwait(() -> clients.register(new OAuthClients.Registration(LOGOUT_CLIENT.getValue(),
                "Logout test app", List.of(LOGOUT_REDIRECT.toString()), List.of("openid", "offline_access"), null,
                List.of(SIGNED_OUT, SIGNED_OUT + "?tab=home"))));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    record SignedIn(AuthorizationCode code, CodeVerifier verifier, Nonce nonce) {
    }

    /** A password-only sign-in through the forms; returns the code and what the client must remember. */
    SignedIn signIn(TestAccounts.TestAccount account, ClientID client, URI redirect, String scope) throws Exception {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        AuthenticationRequest request = new AuthenticationRequest.Builder(new ResponseType("code"), Scope.parse(scope), client, redirect)
                .endpointURI(provider.getAuthorizationEndpointURI()).state(state).nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();
        Browser browser = new Browser();
        browser.authorize(request.toURI());
        HttpResponse<String> redirectResponse = browser.password(account.username(), account.password());
        assertEquals(302, redirectResponse.statusCode(), redirectResponse.body());
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(redirectResponse.headers().firstValue("Location").orElseThrow()));
        assertEquals(state, response.getState());
        return new SignedIn(response.toSuccessResponse().getAuthorizationCode(), verifier, nonce);
    }

    TokenResponse redeem(ClientID client, URI redirect, SignedIn signedIn) throws Exception {
        return OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), client,
                new AuthorizationCodeGrant(signedIn.code(), redirect, signedIn.verifier())).toHTTPRequest().send());
    }

    OIDCTokenResponse tokens(TestAccounts.TestAccount account, String scope) throws Exception {
        TokenResponse response = redeem(E2E, E2E_REDIRECT, signIn(account, E2E, E2E_REDIRECT, scope));
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        return (OIDCTokenResponse) response.toSuccessResponse();
    }

    TokenResponse refresh(ClientID client, RefreshToken token) throws Exception {
        return OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), client, new RefreshTokenGrant(token))
                .toHTTPRequest().send());
    }

    static String error(TokenResponse response) {
        assertFalse(response.indicatesSuccess());
        return response.toErrorResponse().getErrorObject().getCode();
    }

    int userinfo(BearerAccessToken token) throws Exception {
        return new UserInfoRequest(provider.getUserInfoEndpointURI(), token).toHTTPRequest().send().getStatusCode();
    }

    TokenIntrospectionResponse introspect(ClientID client, Token token) throws Exception {
        HTTPResponse http = AuthorizationCodeFlowTest.post("/oauth2/introspect", Map.of("client_id", client.getValue(), "token", token.getValue()));
        assertEquals(200, http.getStatusCode(), http.getBody());
        assertEquals("no-store", http.getHeaderValue("Cache-Control"));
        return TokenIntrospectionResponse.parse(http);
    }

    boolean active(ClientID client, Token token) throws Exception {
        return introspect(client, token).toSuccessResponse().isActive();
    }

    @Test
    void anIndependentClientCompletesCodePkceAndRefreshAndEveryRefreshRotatesTheToken() throws Exception {
        TestAccounts.TestAccount account = accounts.create(false);
        SignedIn signedIn = signIn(account, E2E, E2E_REDIRECT, "openid offline_access");
        TokenResponse first = redeem(E2E, E2E_REDIRECT, signedIn);
        assertTrue(first.indicatesSuccess());
        OIDCTokenResponse tokens = (OIDCTokenResponse) first.toSuccessResponse();
        RefreshToken r1 = tokens.getTokens().getRefreshToken();
        assertNotNull(r1, "offline_access gives a refresh token");
        assertEquals(43, r1.getValue().length(), "256 random bits, base64url");
        IDTokenValidator validator = new IDTokenValidator(new Issuer(ISSUER), E2E, JWSAlgorithm.ES256, provider.getJWKSetURI().toURL());
        IDTokenClaimsSet id1 = validator.validate(tokens.getOIDCTokens().getIDToken(), signedIn.nonce());
        String sid = id1.getStringClaim("sid");
        assertNotNull(sid);

        TokenResponse second = refresh(E2E, r1);
        assertTrue(second.indicatesSuccess(), () -> second.toErrorResponse().getErrorObject().toString());
        OIDCTokenResponse refreshed = (OIDCTokenResponse) second.toSuccessResponse();
        RefreshToken r2 = refreshed.getTokens().getRefreshToken();
        assertNotNull(r2);
        assertNotEquals(r1, r2, "rotated");
        assertNotEquals(tokens.getTokens().getAccessToken(), refreshed.getTokens().getAccessToken());
        assertEquals(200, userinfo(refreshed.getTokens().getBearerAccessToken()));
        IDTokenClaimsSet id2 = validator.validate(refreshed.getOIDCTokens().getIDToken(), null);
        assertEquals(id1.getSubject(), id2.getSubject());
        assertEquals(sid, id2.getStringClaim("sid"), "the same sign-in");
        assertEquals(id1.getAuthenticationTime(), id2.getAuthenticationTime());
        assertEquals(List.of("pwd"), SignedJWT.parse(refreshed.getTokens().getAccessToken().getValue()).getJWTClaimsSet().getStringListClaim("amr"));

        TokenResponse third = refresh(E2E, r2);
        assertTrue(third.indicatesSuccess());
        assertNotEquals(r2, third.toSuccessResponse().getTokens().getRefreshToken());

        // The refresh token is bound to its client.
        RefreshToken r3 = third.toSuccessResponse().getTokens().getRefreshToken();
        assertEquals("invalid_grant", error(refresh(CLI, r3)));
        assertTrue(refresh(E2E, r3).indicatesSuccess(), "another client's attempt changed nothing");
    }

    @Test
    void noRefreshTokenWithoutOfflineAccess() throws Exception {
        OIDCTokenResponse tokens = tokens(accounts.create(false), "openid");
        assertNull(tokens.getTokens().getRefreshToken());
    }

    @Test
    void aFamilyEndsAtItsAbsoluteLifetimeHoweverOftenItIsRefreshed() throws Exception {
        RefreshToken token = tokens(accounts.create(false), "openid offline_access").getTokens().getRefreshToken();
        Duration elapsed = Duration.ZERO;
        // Used every 1 h 50 min (inside the 2 h idle lifetime) until the day is nearly over: always rotated.
        while (elapsed.plusMinutes(110).compareTo(Duration.ofDays(1)) < 0) {
            clock.advance(Duration.ofMinutes(110));
            elapsed = elapsed.plusMinutes(110);
            TokenResponse rotated = refresh(E2E, token);
            assertTrue(rotated.indicatesSuccess(), "after " + elapsed);
            token = rotated.toSuccessResponse().getTokens().getRefreshToken();
        }
        clock.advance(Duration.ofDays(1).minus(elapsed));
        assertEquals("invalid_grant", error(refresh(E2E, token)), "one day after the sign-in the family is over");
    }

    @Test
    void reusingARotatedRefreshTokenRevokesTheWholeFamily() throws Exception {
        OIDCTokenResponse tokens = tokens(accounts.create(false), "openid offline_access");
        RefreshToken r1 = tokens.getTokens().getRefreshToken();
        TokenResponse rotated = refresh(E2E, r1);
        RefreshToken r2 = rotated.toSuccessResponse().getTokens().getRefreshToken();
        BearerAccessToken a2 = rotated.toSuccessResponse().getTokens().getBearerAccessToken();
        assertEquals(200, userinfo(a2));

        assertEquals("invalid_grant", error(refresh(E2E, r1)), "the spent token is refused");
        assertEquals("invalid_grant", error(refresh(E2E, r2)), "its successor died with the family");
        assertFalse(active(E2E, r2));
        assertFalse(active(E2E, a2), "so did the access tokens the family issued");
        assertFalse(active(E2E, tokens.getTokens().getAccessToken()));
        assertEquals(401, userinfo(a2));
    }

    @Test
    void redeemingACodeTwiceRevokesWhatTheFirstRedemptionIssued() throws Exception {
        TestAccounts.TestAccount account = accounts.create(false);
        SignedIn signedIn = signIn(account, E2E, E2E_REDIRECT, "openid offline_access");
        TokenResponse first = redeem(E2E, E2E_REDIRECT, signedIn);
        assertTrue(first.indicatesSuccess());
        BearerAccessToken access = first.toSuccessResponse().getTokens().getBearerAccessToken();
        RefreshToken refresh = first.toSuccessResponse().getTokens().getRefreshToken();
        assertTrue(active(E2E, access));
        assertEquals(200, userinfo(access));

        assertEquals("invalid_grant", error(redeem(E2E, E2E_REDIRECT, signedIn)));

        assertEquals("invalid_grant", error(refresh(E2E, refresh)), "the refresh token is dead");
        assertFalse(active(E2E, access), "the access token introspects inactive");
        assertEquals(401, userinfo(access));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            DemoSeed.E2E_REDIRECT + "/",
            DemoSeed.E2E_REDIRECT + "?extra=1",
            DemoSeed.E2E_REDIRECT + "#fragment",
            "http://127.0.0.1:53683/Callback",
            "HTTP://127.0.0.1:53683/callback"})
    void theTokenRequestsRedirectUriMustMatchExactly(String redirect) throws Exception {
        SignedIn signedIn = signIn(accounts.create(false), E2E, E2E_REDIRECT, "openid");
        HTTPResponse response = AuthorizationCodeFlowTest.post("/oauth2/token", Map.of("grant_type", "authorization_code",
                "client_id", E2E.getValue(), "code", signedIn.code().getValue(), "redirect_uri", redirect,
                "code_verifier", signedIn.verifier().getValue()));
        assertEquals(400, response.getStatusCode());
        assertTrue(response.getBody().contains("\"invalid_grant\""), response.getBody());
    }

    @Test
    void aPlainPkceVerifierIsRefused() throws Exception {
        SignedIn signedIn = signIn(accounts.create(false), E2E, E2E_REDIRECT, "openid");
        // "plain" would send the challenge itself as the verifier: S256 of it is not the challenge.
        String challenge = Tokens.s256(signedIn.verifier().getValue());
        TokenResponse plain = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), E2E,
                new AuthorizationCodeGrant(signedIn.code(), E2E_REDIRECT, new CodeVerifier(challenge))).toHTTPRequest().send());
        assertEquals("invalid_grant", error(plain));
    }

    @Test
    void introspectionTellsAClientAboutItsOwnLiveTokensOnly() throws Exception {
        TestAccounts.TestAccount account = accounts.create(false);
        OIDCTokenResponse tokens = tokens(account, "openid offline_access");
        BearerAccessToken access = tokens.getTokens().getBearerAccessToken();
        RefreshToken refresh = tokens.getTokens().getRefreshToken();

        TokenIntrospectionSuccessResponse accessInfo = introspect(E2E, access).toSuccessResponse();
        assertTrue(accessInfo.isActive());
        assertEquals(account.id().toString(), accessInfo.getSubject().getValue());
        assertEquals(E2E, accessInfo.getClientID());
        assertEquals(Scope.parse("openid offline_access"), accessInfo.getScope());
        assertNotNull(accessInfo.getExpirationTime());
        TokenIntrospectionSuccessResponse refreshInfo = introspect(E2E, refresh).toSuccessResponse();
        assertTrue(refreshInfo.isActive());
        assertEquals(account.id().toString(), refreshInfo.getSubject().getValue());

        // Another client, garbage, and a token of a foreign issuer: inactive, and nothing else said.
        TokenIntrospectionSuccessResponse foreign = introspect(CLI, access).toSuccessResponse();
        assertFalse(foreign.isActive());
        assertEquals(Map.of("active", false), foreign.toJSONObject());
        assertFalse(active(CLI, refresh));
        assertFalse(active(E2E, new BearerAccessToken("not-a-token")));
        assertFalse(active(E2E, new BearerAccessToken(dev.portcullis.testkit.oidc.TestIssuer.shared()
                .token(account.id().toString(), IdentityTestProfile.ORG, "tenant").issuer(ISSUER).claim("client_id", E2E.getValue()).sign())));

        // Client authentication is required.
        HTTPResponse anonymous = AuthorizationCodeFlowTest.post("/oauth2/introspect", Map.of("token", access.getValue()));
        assertEquals(401, anonymous.getStatusCode());
        assertTrue(anonymous.getBody().contains("\"invalid_client\""));

        // An idle refresh token expires.
        clock.advance(Duration.ofHours(2).plusSeconds(1));
        assertFalse(active(E2E, refresh));
        assertEquals("invalid_grant", error(refresh(E2E, refresh)));

        // A disabled account's tokens are inactive and cannot be refreshed.
        clock.reset();
        OIDCTokenResponse other = tokens(account, "openid offline_access");
        accounts.disable(account.id());
        assertFalse(active(E2E, other.getTokens().getAccessToken()));
        assertEquals("invalid_grant", error(refresh(E2E, other.getTokens().getRefreshToken())));
    }

    @jakarta.inject.Inject
    TokenGrants grants;

    @Test
    void revokingAnAccountsGrantsEndsAllItsSignIns() throws Throwable {
        TestAccounts.TestAccount account = accounts.create(false);
        OIDCTokenResponse first = tokens(account, "openid offline_access");
        OIDCTokenResponse second = tokens(account, "openid offline_access");
        OIDCTokenResponse bystander = tokens(accounts.create(false), "openid offline_access");
        VertxContextSupport.subscribeAndAwait(() -> grants.revokeAllOf(account.id(), "account disabled by an operator"));
        for (OIDCTokenResponse revoked : List.of(first, second)) {
            assertEquals("invalid_grant", error(refresh(E2E, revoked.getTokens().getRefreshToken())));
            assertFalse(active(E2E, revoked.getTokens().getAccessToken()));
        }
        assertTrue(active(E2E, bystander.getTokens().getAccessToken()), "other accounts keep theirs");
        assertTrue(refresh(E2E, bystander.getTokens().getRefreshToken()).indicatesSuccess());
    }

    @Test
    void revocationEndsAccessAndRefreshTokensOfTheClientOnly() throws Exception {
        OIDCTokenResponse tokens = tokens(accounts.create(false), "openid offline_access");
        BearerAccessToken access = tokens.getTokens().getBearerAccessToken();
        RefreshToken refresh = tokens.getTokens().getRefreshToken();

        // Another client cannot revoke them (answered 200, RFC 7009 §2.2, but nothing happens).
        assertEquals(200, new TokenRevocationRequest(provider.getRevocationEndpointURI(), CLI, access).toHTTPRequest().send().getStatusCode());
        assertEquals(200, new TokenRevocationRequest(provider.getRevocationEndpointURI(), CLI, refresh).toHTTPRequest().send().getStatusCode());
        assertTrue(active(E2E, access));
        assertTrue(active(E2E, refresh));

        // The access token alone.
        assertEquals(200, new TokenRevocationRequest(provider.getRevocationEndpointURI(), E2E, access).toHTTPRequest().send().getStatusCode());
        assertFalse(active(E2E, access));
        assertEquals(401, userinfo(access));
        assertTrue(active(E2E, refresh), "revoking an access token leaves the refresh token");

        // The refresh token takes its family and the access tokens it issued with it.
        TokenResponse refreshed = refresh(E2E, refresh);
        BearerAccessToken access2 = refreshed.toSuccessResponse().getTokens().getBearerAccessToken();
        RefreshToken refresh2 = refreshed.toSuccessResponse().getTokens().getRefreshToken();
        assertEquals(200, new TokenRevocationRequest(provider.getRevocationEndpointURI(), E2E, refresh2).toHTTPRequest().send().getStatusCode());
        assertEquals("invalid_grant", error(refresh(E2E, refresh2)));
        assertFalse(active(E2E, access2));
        assertEquals(401, userinfo(access2));

        // Unknown tokens: 200 as well; no client authentication: 401.
        assertEquals(200, new TokenRevocationRequest(provider.getRevocationEndpointURI(), E2E, new RefreshToken("unknown"))
                .toHTTPRequest().send().getStatusCode());
        assertEquals(401, AuthorizationCodeFlowTest.post("/oauth2/revoke", Map.of("token", access2.getValue())).getStatusCode());
    }

    @Test
    void logoutRedirectsOnlyToAnExactlyRegisteredUriAndRevokesTheSignIn() throws Exception {
        TestAccounts.TestAccount account = accounts.create(false);
        SignedIn signedIn = signIn(account, LOGOUT_CLIENT, LOGOUT_REDIRECT, "openid offline_access");
        OIDCTokenResponse tokens = (OIDCTokenResponse) redeem(LOGOUT_CLIENT, LOGOUT_REDIRECT, signedIn).toSuccessResponse();
        String idToken = tokens.getOIDCTokens().getIDTokenString();
        RefreshToken refresh = tokens.getTokens().getRefreshToken();

        for (String wrong : List.of(SIGNED_OUT + "/", SIGNED_OUT + "?x=1", "https://rp.example.test/Signed-Out",
                SIGNED_OUT + "#f", "https://attacker.example/signed-out", LOGOUT_REDIRECT.toString())) {
            HttpResponse<String> refused = logout(Map.of("id_token_hint", idToken, "post_logout_redirect_uri", wrong, "state", "s1"));
            assertEquals(400, refused.statusCode(), wrong);
            assertTrue(refused.headers().firstValue("Location").isEmpty(), "never redirected to " + wrong);
        }
        assertTrue(active(LOGOUT_CLIENT, refresh), "a refused logout revokes nothing");

        // An ID token this service did not sign, or an access token as the hint: refused.
        String forged = dev.portcullis.testkit.oidc.TestIssuer.shared().token(account.id().toString(), IdentityTestProfile.ORG)
                .issuer(ISSUER).audience(LOGOUT_CLIENT.getValue()).type("JWT").sign();
        assertEquals(400, logout(Map.of("id_token_hint", forged, "post_logout_redirect_uri", SIGNED_OUT)).statusCode());
        assertEquals(400, logout(Map.of("id_token_hint", tokens.getTokens().getAccessToken().getValue(),
                "post_logout_redirect_uri", SIGNED_OUT)).statusCode());

        HttpResponse<String> done = logout(Map.of("id_token_hint", idToken, "post_logout_redirect_uri", SIGNED_OUT + "?tab=home",
                "state", "s 1&x"));
        assertEquals(302, done.statusCode(), done.body());
        assertEquals(SIGNED_OUT + "?tab=home&state=s+1%26x", done.headers().firstValue("Location").orElseThrow());
        assertEquals("invalid_grant", error(refresh(LOGOUT_CLIENT, refresh)), "the sign-in's refresh family is revoked");
        assertFalse(active(LOGOUT_CLIENT, tokens.getTokens().getAccessToken()));

        // An expired ID token of ours is still a valid hint (logout often comes late).
        TestAccounts.TestAccount later = accounts.create(false);
        OIDCTokenResponse laterTokens = (OIDCTokenResponse) redeem(LOGOUT_CLIENT, LOGOUT_REDIRECT,
                signIn(later, LOGOUT_CLIENT, LOGOUT_REDIRECT, "openid offline_access")).toSuccessResponse();
        com.nimbusds.jwt.JWTClaimsSet hint = laterTokens.getOIDCTokens().getIDToken().getJWTClaimsSet();
        String expired = signer.sign(new com.nimbusds.jwt.JWTClaimsSet.Builder(hint)
                .issueTime(java.util.Date.from(java.time.Instant.now().minus(Duration.ofHours(2))))
                .expirationTime(java.util.Date.from(java.time.Instant.now().minus(Duration.ofHours(1)))).build(), com.nimbusds.jose.JOSEObjectType.JWT);
        HttpResponse<String> lateLogout = postLogout(Map.of("id_token_hint", expired, "post_logout_redirect_uri", SIGNED_OUT));
        assertEquals(302, lateLogout.statusCode(), lateLogout.body());
        assertEquals(SIGNED_OUT, lateLogout.headers().firstValue("Location").orElseThrow());
        assertEquals("invalid_grant", error(refresh(LOGOUT_CLIENT, laterTokens.getTokens().getRefreshToken())));

        // Without a redirect URI: the signed-out page.
        HttpResponse<String> page = logout(Map.of("id_token_hint", idToken));
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("signed out"), page.body());
    }

    @jakarta.inject.Inject
    dev.portcullis.identity.signing.TokenSigner signer;

    /** The form-post variant of the end-session endpoint. */
    static HttpResponse<String> postLogout(Map<String, String> params) {
        Browser browser = new Browser();
        return browser.post("/oauth2/logout", params);
    }

    static HttpResponse<String> logout(Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return new Browser().get(URI.create(ISSUER + "/oauth2/logout?" + query));
    }

    /** Prometheus scrapes this (the ServiceMonitor in k8s/); never routed by the Ingress. */
    @Test
    void prometheusMetricsAreServed() {
        io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
