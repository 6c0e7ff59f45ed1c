package dev.portcullis.identity.partner;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** DPoP (RFC 9449) at the token endpoint: bound tokens for good proofs, invalid_dpop_proof for every bad one. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class DpopTokenEndpointTest {

    static final UUID ORG = UUID.fromString(IdentityTestProfile.ORG);

    @Inject
    Partners partners;

    Response token(Partners.Partner partner, String proof) {
        var request = given().formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", partners.assertion(partner, c -> { }));
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.when().post("/oauth2/token");
    }

    void refused(Partners.Partner partner, String proof) {
        token(partner, proof).then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }

    @Test
    void anIndependentClientGetsATokenBoundToItsKey() throws Exception {
        Partners.Partner partner = partners.create(ORG);
        ECKey dpopKey = Partners.ecKey();
        URI endpoint = URI.create(Partners.TOKEN_ENDPOINT);
        HTTPRequest request = new TokenRequest(endpoint, new PrivateKeyJWT(new ClientID(partner.clientId()), endpoint,
                JWSAlgorithm.ES256, partner.key().toECPrivateKey(), partner.key().getKeyID(), null),
                new ClientCredentialsGrant(), new Scope("unlock")).toHTTPRequest();
        request.setDPoP(new DefaultDPoPProofFactory(dpopKey, JWSAlgorithm.ES256).createDPoPJWT("POST", endpoint));
        TokenResponse response = TokenResponse.parse(request.send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        AccessTokenResponse tokens = response.toSuccessResponse();
        assertEquals(AccessTokenType.DPOP, tokens.getTokens().getAccessToken().getType());
        JWTClaimsSet claims = ClientCredentialsTest.verified(tokens.getTokens().getAccessToken().getValue());
        assertEquals(Map.of("jkt", dpopKey.toPublicJWK().computeThumbprint().toString()), claims.getJSONObjectClaim("cnf"));
    }

    @Test
    void theProofMustBeTypedDpopJwt() {
        Partners.Partner partner = partners.create(ORG);
        ECKey key = Partners.ecKey();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().claim("htm", "POST").claim("htu", Partners.TOKEN_ENDPOINT)
                .issueTime(new Date()).jwtID(UUID.randomUUID().toString()).build();
        refused(partner, Partners.proof(key, JOSEObjectType.JWT, claims));
        refused(partner, Partners.proof(key, null, claims));
        token(partner, Partners.proof(key, new JOSEObjectType("dpop+jwt"), claims)).then().statusCode(200)
                .body("token_type", equalTo("DPoP"));
    }

    @Test
    void anUnsignedProofIsRefused() {
        Partners.Partner partner = partners.create(ORG);
        ECKey key = Partners.ecKey();
        String header = "{\"alg\":\"none\",\"typ\":\"dpop+jwt\",\"jwk\":" + key.toPublicJWK().toJSONString() + "}";
        String payload = "{\"htm\":\"POST\",\"htu\":\"" + Partners.TOKEN_ENDPOINT + "\",\"iat\":" + Instant.now().getEpochSecond()
                + ",\"jti\":\"" + UUID.randomUUID() + "\"}";
        refused(partner, Partners.b64(header) + "." + Partners.b64(payload) + ".");
    }

    @Test
    void aSymmetricProofIsRefused() throws Exception {
        Partners.Partner partner = partners.create(ORG);
        ECKey key = Partners.ecKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(key.toPublicJWK()).build(), new JWTClaimsSet.Builder().claim("htm", "POST").claim("htu", Partners.TOKEN_ENDPOINT)
                .issueTime(new Date()).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new MACSigner(key.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8)));
        refused(partner, jwt.serialize());
    }

    @Test
    void aJwkWithPrivateKeyMaterialIsRefused() throws Exception {
        Partners.Partner partner = partners.create(ORG);
        ECKey key = Partners.ecKey();
        // Nimbus will not build such a header, so it is assembled by hand (and correctly signed).
        String header = Partners.b64("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":" + key.toJSONString() + "}");
        String payload = Partners.b64("{\"htm\":\"POST\",\"htu\":\"" + Partners.TOKEN_ENDPOINT + "\",\"iat\":"
                + Instant.now().getEpochSecond() + ",\"jti\":\"" + UUID.randomUUID() + "\"}");
        String signature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
                (header + "." + payload).getBytes(StandardCharsets.US_ASCII)).toString();
        refused(partner, header + "." + payload + "." + signature);
        String publicHeader = Partners.b64("{\"alg\":\"ES256\",\"typ\":\"dpop+jwt\",\"jwk\":" + key.toPublicJWK().toJSONString() + "}");
        String publicSignature = new ECDSASigner(key).sign(new JWSHeader(JWSAlgorithm.ES256),
                (publicHeader + "." + payload).getBytes(StandardCharsets.US_ASCII)).toString();
        token(partner, publicHeader + "." + payload + "." + publicSignature).then().statusCode(200);
    }

    @Test
    void aProofNotSignedByItsJwkIsRefused() throws Exception {
        Partners.Partner partner = partners.create(ORG);
        ECKey claimed = Partners.ecKey();
        ECKey signer = Partners.ecKey();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
                .jwk(claimed.toPublicJWK()).build(), new JWTClaimsSet.Builder().claim("htm", "POST")
                .claim("htu", Partners.TOKEN_ENDPOINT).issueTime(new Date()).jwtID(UUID.randomUUID().toString()).build());
        jwt.sign(new ECDSASigner(signer));
        refused(partner, jwt.serialize());
    }

    @Test
    void htmAndHtuMustBeThisRequest() {
        Partners.Partner partner = partners.create(ORG);
        ECKey key = Partners.ecKey();
        refused(partner, partners.proof(key, c -> c.claim("htm", "GET")));
        refused(partner, partners.proof(key, c -> c.claim("htm", "post")));
        refused(partner, partners.proof(key, c -> c.claim("htm", null)));
        refused(partner, partners.proof(key, c -> c.claim("htu", IdentityTestProfile.ISSUER + "/oauth2/userinfo")));
        refused(partner, partners.proof(key, c -> c.claim("htu", "https://localhost:18081/oauth2/token")));
        refused(partner, partners.proof(key, c -> c.claim("htu", Partners.TOKEN_ENDPOINT + "?x=1")));
        refused(partner, partners.proof(key, c -> c.claim("htu", Partners.TOKEN_ENDPOINT + "#f")));
        refused(partner, partners.proof(key, c -> c.claim("htu", null)));
        token(partner, partners.proof(key, c -> c.claim("htu", "HTTP://LOCALHOST:18081/oauth2/token"))).then().statusCode(200);
    }

    @Test
    void iatMustBeRecent() {
        Partners.Partner partner = partners.create(ORG);
        ECKey key = Partners.ecKey();
        Instant now = Instant.now();
        refused(partner, partners.proof(key, c -> c.issueTime(Date.from(now.minusSeconds(120)))));
        refused(partner, partners.proof(key, c -> c.issueTime(Date.from(now.plusSeconds(60)))));
        refused(partner, partners.proof(key, c -> c.issueTime(null)));
        token(partner, partners.proof(key, c -> c.issueTime(Date.from(now.minusSeconds(20))))).then().statusCode(200);
    }

    @Test
    void aProofIsAcceptedOnce() {
        Partners.Partner partner = partners.create(ORG);
        ECKey key = Partners.ecKey();
        refused(partner, partners.proof(key, c -> c.jwtID(null)));
        String proof = partners.proof(key, c -> { });
        token(partner, proof).then().statusCode(200);
        refused(partner, proof);
        String jti = UUID.randomUUID().toString();
        token(partner, partners.proof(key, c -> c.jwtID(jti))).then().statusCode(200);
        refused(partner, partners.proof(key, c -> c.jwtID(jti)));
    }

    @Test
    void athWithoutAnAccessTokenIsRefused() {
        Partners.Partner partner = partners.create(ORG);
        refused(partner, partners.proof(Partners.ecKey(), c -> c.claim("ath", "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo")));
    }

    @Test
    void dpopOnOtherGrantsAndRepeatedHeadersAreRefused() {
        Partners.Partner partner = partners.create(ORG);
        ECKey key = Partners.ecKey();
        given().header("DPoP", partners.proof(key, c -> { })).formParam("grant_type", "authorization_code")
                .formParam("client_id", "portcullis-e2e").formParam("code", "x").formParam("redirect_uri", "http://127.0.0.1:53683/callback")
                .formParam("code_verifier", "a".repeat(43))
                .when().post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
        given().header("DPoP", partners.proof(key, c -> { })).header("DPoP", partners.proof(key, c -> { }))
                .formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", partners.assertion(partner, c -> { }))
                .when().post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));
    }
}
