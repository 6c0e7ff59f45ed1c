package dev.portcullis.identity.oidc;

import static dev.portcullis.identity.IdentityTestProfile.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.client.OAuthClients;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.identity.mfa.Totp;
import dev.portcullis.identity.mfa.TotpSecrets;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authorization code flow with PKCE, driven by an independent OAuth/OIDC client library
 * (Nimbus oauth2-oidc-sdk) for the protocol and plain HTTP for the sign-in forms.
 */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class AuthorizationCodeFlowTest {

    static final ClientID E2E = new ClientID(DemoSeed.E2E_CLIENT);
    static final URI E2E_REDIRECT = URI.create(DemoSeed.E2E_REDIRECT);

    @Inject
    TestAccounts accounts;

    @Inject
    TestClock clock;

    @Inject
    OAuthClients clients;

    OIDCProviderMetadata provider;

    @BeforeEach
    void discover() throws Exception {
        provider = OIDCProviderMetadata.resolve(new Issuer(ISSUER));
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A started authorization for the e2e client, with everything the client must remember. */
    record Started(Browser browser, CodeVerifier verifier, State state, Nonce nonce) {
    }

    Started start(ClientID client, URI redirect, String scope) {
        CodeVerifier verifier = new CodeVerifier();
        State state = new State();
        Nonce nonce = new Nonce();
        AuthenticationRequest request = new AuthenticationRequest.Builder(new ResponseType("code"), Scope.parse(scope), client, redirect)
                .endpointURI(provider.getAuthorizationEndpointURI())
                .state(state)
                .nonce(nonce)
                .codeChallenge(verifier, CodeChallengeMethod.S256)
                .build();
        Browser browser = new Browser();
        browser.authorize(request.toURI());
        return new Started(browser, verifier, state, nonce);
    }

    /** Password + TOTP through the forms; returns the authorization code from the redirect. */
    AuthorizationCode signIn(Started started, String username, String password, String totp) throws Exception {
        HttpResponse<String> totpPage = started.browser().password(username, password);
        assertEquals(200, totpPage.statusCode(), totpPage.body());
        assertTrue(totpPage.body().contains("<form method=\"post\" action=\"/login/totp\">"));
        assertTrue(totpPage.body().contains("<input name=\"code\" inputmode=\"numeric\" autocomplete=\"one-time-code\""));
        HttpResponse<String> redirect = started.browser().totp(totp);
        assertEquals(302, redirect.statusCode(), redirect.body());
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(redirect.headers().firstValue("Location").orElseThrow()));
        assertTrue(response.indicatesSuccess());
        assertEquals(started.state(), response.getState());
        assertEquals(new Issuer(ISSUER), response.getIssuer(), "RFC 9207 iss parameter");
        return response.toSuccessResponse().getAuthorizationCode();
    }

    TokenResponse redeem(ClientID client, AuthorizationCode code, URI redirect, CodeVerifier verifier) throws Exception {
        return OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(), client,
                new AuthorizationCodeGrant(code, redirect, verifier)).toHTTPRequest().send());
    }

    @Test
    void passwordAndTotpGiveSignedTokensWithEveryClaim() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        Started started = start(E2E, E2E_REDIRECT, "openid profile unlock");
        byte[] key = TotpSecrets.decode(IdentityTestProfile.TENANT_TOTP);
        AuthorizationCode code = signIn(started, IdentityTestProfile.TENANT_USERNAME, IdentityTestProfile.TENANT_PASSWORD,
                Totp.code(key, clock.instant()));

        HTTPResponse http = new TokenRequest(provider.getTokenEndpointURI(), E2E,
                new AuthorizationCodeGrant(code, E2E_REDIRECT, started.verifier())).toHTTPRequest().send();
        assertEquals(200, http.getStatusCode(), http.getBody());
        assertEquals("no-store", http.getHeaderValue("Cache-Control"));
        OIDCTokenResponse tokens = OIDCTokenResponse.parse(http);
        assertEquals("Bearer", tokens.getTokens().getAccessToken().getType().getValue());
        assertEquals(300, tokens.getTokens().getAccessToken().getLifetime());
        assertEquals(Scope.parse("openid profile unlock"), tokens.getTokens().getAccessToken().getScope());

        // The access token, verified with the keys from the published JWKS (RFC 9068 profile).
        String accessToken = tokens.getTokens().getAccessToken().getValue();
        SignedJWT jwt = SignedJWT.parse(accessToken);
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        assertNotNull(jwt.getHeader().getKeyID());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256,
                JWKSourceBuilder.create(provider.getJWKSetURI().toURL()).retrying(false).build()));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>("portcullis-api",
                new JWTClaimsSet.Builder().issuer(ISSUER).subject(IdentityTestProfile.TENANT).build(),
                Set.of("exp", "iat", "nbf", "jti", "auth_time")));
        JWTClaimsSet claims = processor.process(accessToken, null);
        assertEquals(List.of("portcullis-api"), claims.getAudience());
        assertEquals(DemoSeed.E2E_CLIENT, claims.getStringClaim("client_id"));
        assertEquals("openid profile unlock", claims.getStringClaim("scope"));
        assertEquals(IdentityTestProfile.ORG, claims.getStringClaim("org"));
        assertEquals(List.of("tenant"), claims.getStringListClaim("roles"));
        assertEquals(List.of("pwd", "otp", "mfa"), claims.getStringListClaim("amr"));
        assertEquals("aal2", claims.getStringClaim("acr"));
        Date authTime = claims.getDateClaim("auth_time");
        assertTrue(!authTime.toInstant().isBefore(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)), "auth_time is now");
        assertEquals(Duration.ofMinutes(5), Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()));
        assertEquals(claims.getIssueTime(), claims.getNotBeforeTime());
        assertTrue(jwt.getPayload().toJSONObject().get("auth_time") instanceof Number, "auth_time is a NumericDate");

        // The ID token, validated by the library (signature via JWKS, iss, aud, exp, nonce).
        IDTokenClaimsSet id = new IDTokenValidator(new Issuer(ISSUER), E2E, JWSAlgorithm.ES256, provider.getJWKSetURI().toURL())
                .validate(tokens.getOIDCTokens().getIDToken(), started.nonce());
        assertEquals(IdentityTestProfile.TENANT, id.getSubject().getValue());
        assertEquals(List.of(E2E.getValue()), id.getAudience().stream().map(Object::toString).toList());
        assertEquals("aal2", id.getACR().getValue());
        assertEquals(List.of("pwd", "otp", "mfa"), id.getAMR().stream().map(Object::toString).toList());
        assertEquals(authTime, id.getAuthenticationTime());
        assertEquals("Alex Tenant", id.getStringClaim("name"));

        // UserInfo with the bearer access token.
        UserInfoResponse userInfoResponse = UserInfoResponse.parse(
                new UserInfoRequest(provider.getUserInfoEndpointURI(), new BearerAccessToken(accessToken)).toHTTPRequest().send());
        assertTrue(userInfoResponse.indicatesSuccess());
        UserInfo userInfo = userInfoResponse.toSuccessResponse().getUserInfo();
        assertEquals(IdentityTestProfile.TENANT, userInfo.getSubject().getValue());
        assertEquals("Alex Tenant", userInfo.getName());
        assertEquals(IdentityTestProfile.ORG, userInfo.getStringClaim("org"));

        // Single use: the same code again is invalid_grant.
        TokenResponse again = redeem(E2E, code, E2E_REDIRECT, started.verifier());
        assertFalse(again.indicatesSuccess());
        assertEquals("invalid_grant", again.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void userinfoRefusesForgedAndMissingTokens() throws Exception {
        HTTPResponse none = new com.nimbusds.oauth2.sdk.http.HTTPRequest(com.nimbusds.oauth2.sdk.http.HTTPRequest.Method.GET,
                provider.getUserInfoEndpointURI()).send();
        assertEquals(401, none.getStatusCode());
        // A token of the right shape signed by another key.
        String forged = dev.portcullis.testkit.oidc.TestIssuer.shared().token(IdentityTestProfile.TENANT, IdentityTestProfile.ORG, "tenant")
                .issuer(ISSUER).sign();
        HTTPResponse forgedResponse = new UserInfoRequest(provider.getUserInfoEndpointURI(), new BearerAccessToken(forged))
                .toHTTPRequest().send();
        assertEquals(401, forgedResponse.getStatusCode());
        assertTrue(forgedResponse.getHeaderValue("WWW-Authenticate").contains("invalid_token"));
    }

    @Test
    void aWrongOrMissingVerifierIsRefusedAndSpendsTheCode() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        Started started = start(E2E, E2E_REDIRECT, "openid unlock");
        AuthorizationCode code = signIn(started, account.username(), account.password(), accounts.code(account.totpKey()));

        TokenResponse wrong = redeem(E2E, code, E2E_REDIRECT, new CodeVerifier());
        assertEquals("invalid_grant", wrong.toErrorResponse().getErrorObject().getCode());
        // The code was spent by the failed attempt: even the right verifier cannot use it now.
        TokenResponse right = redeem(E2E, code, E2E_REDIRECT, started.verifier());
        assertEquals("invalid_grant", right.toErrorResponse().getErrorObject().getCode());

        // Without code_verifier at all.
        Started second = start(E2E, E2E_REDIRECT, "openid unlock");
        AuthorizationCode code2 = signIn(second, account.username(), account.password(), accounts.nextCode(account.totpKey()));
        HTTPResponse missing = post("/oauth2/token", Map.of("grant_type", "authorization_code", "code", code2.getValue(),
                "redirect_uri", E2E_REDIRECT.toString(), "client_id", E2E.getValue()));
        assertEquals(400, missing.getStatusCode());
        assertEquals("invalid_request", TokenErrorResponse.parse(missing).getErrorObject().getCode());
        assertEquals("no-store", missing.getHeaderValue("Cache-Control"));
    }

    @Test
    void theTokenRequestMustRepeatTheRedirectUriAndComeFromTheSameClient() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        Started started = start(E2E, E2E_REDIRECT, "openid");
        AuthorizationCode code = signIn(started, account.username(), account.password(), accounts.code(account.totpKey()));
        TokenResponse otherRedirect = redeem(E2E, code, URI.create(DemoSeed.E2E_REDIRECT + "/"), started.verifier());
        assertEquals("invalid_grant", otherRedirect.toErrorResponse().getErrorObject().getCode());

        Started second = start(E2E, E2E_REDIRECT, "openid");
        AuthorizationCode code2 = signIn(second, account.username(), account.password(), accounts.nextCode(account.totpKey()));
        TokenResponse otherClient = redeem(new ClientID(DemoSeed.CLI_CLIENT), code2, E2E_REDIRECT, second.verifier());
        assertEquals("invalid_grant", otherClient.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void codesExpireAfterSixtySeconds() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        Started started = start(E2E, E2E_REDIRECT, "openid");
        AuthorizationCode code = signIn(started, account.username(), account.password(), accounts.code(account.totpKey()));
        clock.advance(Duration.ofSeconds(61));
        TokenResponse late = redeem(E2E, code, E2E_REDIRECT, started.verifier());
        assertEquals("invalid_grant", late.toErrorResponse().getErrorObject().getCode());
    }

    @Test
    void aPasswordOnlyAccountGetsAal1() throws Exception {
        TestAccounts.TestAccount account = accounts.create(false);
        Started started = start(E2E, E2E_REDIRECT, "openid");
        HttpResponse<String> redirect = started.browser().password(account.username(), account.password());
        assertEquals(302, redirect.statusCode(), redirect.body());
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(redirect.headers().firstValue("Location").orElseThrow()));
        TokenResponse tokens = redeem(E2E, response.toSuccessResponse().getAuthorizationCode(), E2E_REDIRECT, started.verifier());
        assertTrue(tokens.indicatesSuccess());
        JWTClaimsSet claims = SignedJWT.parse(tokens.toSuccessResponse().getTokens().getAccessToken().getValue()).getJWTClaimsSet();
        assertEquals(List.of("pwd"), claims.getStringListClaim("amr"));
        assertEquals("aal1", claims.getStringClaim("acr"));
    }

    @Test
    void confidentialClientsAuthenticateWithHttpBasic() throws Throwable {
        ClientID confidential = new ClientID("test-confidential");
        URI redirect = URI.create("https://app.example.test/cb");
        VertxContextSupport.subscribeAndAwait(() -> clients.register(new OAuthClients.Registration(confidential.getValue(),
                "Confidential test app", List.of(redirect.toString()), List.of("openid"), "s3cret:with/odd&chars")));
        TestAccounts.TestAccount account = accounts.create(true);

        Started started = start(confidential, redirect, "openid");
        AuthorizationCode code = signIn(started, account.username(), account.password(), accounts.code(account.totpKey()));
        TokenResponse noSecret = redeem(confidential, code, redirect, started.verifier());
        assertEquals("invalid_client", noSecret.toErrorResponse().getErrorObject().getCode());
        assertEquals(401, noSecret.toErrorResponse().getErrorObject().getHTTPStatusCode());

        Started second = start(confidential, redirect, "openid");
        AuthorizationCode code2 = signIn(second, account.username(), account.password(), accounts.nextCode(account.totpKey()));
        TokenResponse wrongSecret = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
                new ClientSecretBasic(confidential, new Secret("wrong")), new AuthorizationCodeGrant(code2, redirect, second.verifier()))
                .toHTTPRequest().send());
        assertEquals("invalid_client", wrongSecret.toErrorResponse().getErrorObject().getCode());
        TokenResponse ok = OIDCTokenResponseParser.parse(new TokenRequest(provider.getTokenEndpointURI(),
                new ClientSecretBasic(confidential, new Secret("s3cret:with/odd&chars")),
                new AuthorizationCodeGrant(code2, redirect, second.verifier())).toHTTPRequest().send());
        // Client authentication is checked before the code is touched, so the failed attempt did not spend code2.
        assertTrue(ok.indicatesSuccess(), () -> ok.toErrorResponse().getErrorObject().toString());
    }

    @Test
    void otherGrantTypesAndRepeatedParametersAreRefused() {
        HTTPResponse grant = post("/oauth2/token", Map.of("grant_type", "password", "client_id", E2E.getValue()));
        assertEquals(400, grant.getStatusCode());
        assertTrue(grant.getBody().contains("\"unsupported_grant_type\""));
        HTTPResponse unknownClient = post("/oauth2/token", Map.of("grant_type", "authorization_code", "client_id", "nobody",
                "code", "x", "redirect_uri", E2E_REDIRECT.toString(), "code_verifier", new CodeVerifier().getValue()));
        assertEquals(401, unknownClient.getStatusCode());
        assertTrue(unknownClient.getBody().contains("\"invalid_client\""));
        HTTPResponse unknownCode = post("/oauth2/token", Map.of("grant_type", "authorization_code", "client_id", E2E.getValue(),
                "code", "not-a-code", "redirect_uri", E2E_REDIRECT.toString(), "code_verifier", new CodeVerifier().getValue()));
        assertEquals(400, unknownCode.getStatusCode());
        assertTrue(unknownCode.getBody().contains("\"invalid_grant\""));
    }

    static HTTPResponse post(String path, Map<String, String> form) {
        try {
            com.nimbusds.oauth2.sdk.http.HTTPRequest request = new com.nimbusds.oauth2.sdk.http.HTTPRequest(
                    com.nimbusds.oauth2.sdk.http.HTTPRequest.Method.POST, URI.create(ISSUER + path));
            request.setEntityContentType(com.nimbusds.common.contenttype.ContentType.APPLICATION_URLENCODED);
            request.setBody(com.nimbusds.oauth2.sdk.util.URLUtils.serializeParameters(
                    form.entrySet().stream().collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())))));
            return request.send();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
