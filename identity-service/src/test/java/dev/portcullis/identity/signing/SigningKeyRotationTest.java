package dev.portcullis.identity.signing;

import static dev.portcullis.identity.IdentityTestProfile.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Key rotation as verifiers see it: the next key is in the JWKS before it signs anything; a token
 * signed by a retired key keeps working while that key is published (as long as such tokens live),
 * and is refused once the key is gone.
 */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class SigningKeyRotationTest {

    static final URI TOKEN = URI.create(ISSUER + "/oauth2/token");

    @Inject
    TokenSigner signer;

    @Inject
    TestAccounts accounts;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    BearerAccessToken accessToken() throws Exception {
        TestAccounts.TestAccount account = accounts.create(false);
        CodeVerifier verifier = new CodeVerifier();
        ClientID client = new ClientID(DemoSeed.E2E_CLIENT);
        URI redirect = URI.create(DemoSeed.E2E_REDIRECT);
        AuthenticationRequest request = new AuthenticationRequest.Builder(new ResponseType("code"), Scope.parse("openid"), client, redirect)
                .endpointURI(URI.create(ISSUER + "/oauth2/authorize")).state(new State()).nonce(new com.nimbusds.openid.connect.sdk.Nonce())
                .codeChallenge(verifier, CodeChallengeMethod.S256).build();
        Browser browser = new Browser();
        browser.authorize(request.toURI());
        HttpResponse<String> redirected = browser.password(account.username(), account.password());
        assertEquals(302, redirected.statusCode(), redirected.body());
        AuthorizationResponse response = AuthorizationResponse.parse(URI.create(redirected.headers().firstValue("Location").orElseThrow()));
        TokenResponse tokens = OIDCTokenResponseParser.parse(new TokenRequest(TOKEN, client,
                new AuthorizationCodeGrant(response.toSuccessResponse().getAuthorizationCode(), redirect, verifier)).toHTTPRequest().send());
        assertTrue(tokens.indicatesSuccess());
        return tokens.toSuccessResponse().getTokens().getBearerAccessToken();
    }

    static JWKSet jwks() throws Exception {
        return JWKSet.parse(RestAssured.get("/oauth2/jwks").then().statusCode(200).extract().asString());
    }

    static int userinfo(BearerAccessToken token) throws Exception {
        return new UserInfoRequest(URI.create(ISSUER + "/oauth2/userinfo"), token).toHTTPRequest().send().getStatusCode();
    }

    static String kid(BearerAccessToken token) throws Exception {
        return SignedJWT.parse(token.getValue()).getHeader().getKeyID();
    }

    @Test
    void tokensOfARetiredKeyWorkUntilItIsUnpublishedThenAre401() throws Exception {
        // Bring the ring to a known state: an active key and a published next key.
        signer.rotate();
        String old = signer.keyId();
        BearerAccessToken oldToken = accessToken();
        assertEquals(old, kid(oldToken));
        JWKSet before = jwks();
        String next = before.getKeys().stream().map(k -> k.getKeyID()).filter(k -> !k.equals(old)).reduce((a, b) -> b).orElseThrow();
        assertNotNull(before.getKeyByKeyId(next), "the next key is published");

        signer.rotate();
        assertEquals(next, signer.keyId(), "the key that becomes active was published before");
        BearerAccessToken newToken = accessToken();
        assertEquals(next, kid(newToken));
        JWKSet after = jwks();
        assertNotNull(after.getKeyByKeyId(old), "the retired key is still published");
        assertNotNull(after.getKeyByKeyId(next));
        assertEquals(3, after.getKeys().size(), "retired, active and a new next key");
        after.getKeys().forEach(k -> assertFalse(k.isPrivate()));
        assertEquals(200, userinfo(oldToken), "a token of the retired key is valid while the key is published");
        assertEquals(200, userinfo(newToken));

        // Once every token the old key signed must have expired, it is unpublished, and refused.
        clock.advance(Duration.ofMinutes(6).plusSeconds(1));
        assertNull(jwks().getKeyByKeyId(old));
        assertEquals(401, userinfo(oldToken));
        assertEquals(200, userinfo(newToken));
        assertNotEquals(old, signer.keyId());
    }
}
