package dev.portcullis.identity.partner;

import static dev.portcullis.identity.IdentityTestProfile.ISSUER;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AccessTokenResponse;
import com.nimbusds.oauth2.sdk.ClientCredentialsGrant;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.PrivateKeyJWT;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.oauth2.sdk.token.AccessTokenType;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.client.OAuthClients;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The client credentials grant with private_key_jwt (RFC 7523) and organization-bound partner scopes. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class ClientCredentialsTest {

    static final UUID ORG = UUID.fromString(IdentityTestProfile.ORG);

    @Inject
    Partners partners;

    @Inject
    OAuthClients clients;

    static Response token(String assertion, Map<String, String> extra) {
        var request = given().formParam("grant_type", "client_credentials")
                .formParam("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                .formParam("client_assertion", assertion);
        extra.forEach(request::formParam);
        return request.when().post("/oauth2/token");
    }

    static void refusedAsInvalidClient(String assertion) {
        token(assertion, Map.of()).then().statusCode(401).body("error", equalTo("invalid_client"))
                .header("Cache-Control", "no-store");
    }

    /** Verifies the access token with the service's published JWKS, as a resource server would. */
    static JWTClaimsSet verified(String accessToken) throws Exception {
        SignedJWT jwt = SignedJWT.parse(accessToken);
        assertEquals(new JOSEObjectType("at+jwt"), jwt.getHeader().getType());
        JWKSet jwks = JWKSet.load(URI.create(ISSUER + "/oauth2/jwks").toURL());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertTrue(jwt.verify(new ECDSAVerifier(key)));
        return jwt.getJWTClaimsSet();
    }

    @Test
    void anIndependentClientGetsAnOrganizationBoundTokenWithASignedAssertion() throws Exception {
        Partners.Partner partner = partners.create(ORG);
        OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(ISSUER));
        assertTrue(metadata.getGrantTypes().contains(com.nimbusds.oauth2.sdk.GrantType.CLIENT_CREDENTIALS));
        PrivateKeyJWT authentication = new PrivateKeyJWT(new ClientID(partner.clientId()), metadata.getTokenEndpointURI(),
                JWSAlgorithm.ES256, partner.key().toECPrivateKey(), partner.key().getKeyID(), null);
        TokenResponse response = TokenResponse.parse(new TokenRequest(metadata.getTokenEndpointURI(), authentication,
                new ClientCredentialsGrant(), new Scope("unlock")).toHTTPRequest().send());
        assertTrue(response.indicatesSuccess(), () -> response.toErrorResponse().getErrorObject().toString());
        AccessTokenResponse tokens = response.toSuccessResponse();
        assertEquals(AccessTokenType.BEARER, tokens.getTokens().getAccessToken().getType());
        assertNull(tokens.getTokens().getRefreshToken(), "no refresh token for client credentials");

        JWTClaimsSet claims = verified(tokens.getTokens().getAccessToken().getValue());
        assertEquals(ISSUER, claims.getIssuer());
        assertEquals(partner.clientId(), claims.getSubject());
        assertEquals(partner.clientId(), claims.getStringClaim("client_id"));
        assertEquals(List.of("portcullis-api"), claims.getAudience());
        assertEquals("unlock", claims.getStringClaim("scope"));
        assertEquals(List.of(ORG.toString()), claims.getStringListClaim("orgs"));
        assertNull(claims.getClaim("org"), "a partner is no member of an organization");
        assertNull(claims.getClaim("roles"));
        assertNull(claims.getClaim("cnf"), "not bound without a DPoP proof");
    }

    @Test
    void anAssertionSignedWithAnotherKeyIsRefused() {
        Partners.Partner partner = partners.create(ORG);
        ECKey other = Partners.ecKey();
        // Same kid as the registered key, so only the signature can tell them apart.
        ECKey impostor = new ECKey.Builder(other).keyID(partner.key().getKeyID()).build();
        refusedAsInvalidClient(Partners.assertion(impostor, partners.claims(partner.clientId(), c -> { })));
    }

    @Test
    void anUnsignedAssertionIsRefused() {
        Partners.Partner partner = partners.create(ORG);
        String payload = partners.claims(partner.clientId(), c -> { }).toString();
        refusedAsInvalidClient(Partners.b64("{\"alg\":\"none\"}") + "." + Partners.b64(payload) + ".");
    }

    @Test
    void anHmacAssertionKeyedWithThePublicKeyIsRefused() throws Exception {
        Partners.Partner partner = partners.create(ORG);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), partners.claims(partner.clientId(), c -> { }));
        byte[] secret = partner.key().toPublicJWK().toJSONString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        jwt.sign(new MACSigner(secret));
        refusedAsInvalidClient(jwt.serialize());
    }

    @Test
    void expiredMissingExpAndFarFutureExpAreRefused() {
        Partners.Partner partner = partners.create(ORG);
        Instant now = Instant.now();
        refusedAsInvalidClient(partners.assertion(partner, c -> c.expirationTime(Date.from(now.minusSeconds(10)))));
        refusedAsInvalidClient(partners.assertion(partner, c -> c.expirationTime(null)));
        refusedAsInvalidClient(partners.assertion(partner, c -> c.expirationTime(Date.from(now.plusSeconds(3600)))));
        refusedAsInvalidClient(partners.assertion(partner, c -> c.issueTime(Date.from(now.plusSeconds(600)))));
        refusedAsInvalidClient(partners.assertion(partner, c -> c.notBeforeTime(Date.from(now.plusSeconds(120)))));
        // The same key with sane times is accepted: it was the times that were refused.
        token(partners.assertion(partner, c -> { }), Map.of()).then().statusCode(200);
    }

    @Test
    void theAudienceMustBeThisIssuerOrItsTokenEndpoint() {
        Partners.Partner partner = partners.create(ORG);
        refusedAsInvalidClient(partners.assertion(partner, c -> c.audience("https://other-as.example/token")));
        refusedAsInvalidClient(partners.assertion(partner, c -> c.audience((String) null)));
        token(partners.assertion(partner, c -> c.audience(ISSUER)), Map.of()).then().statusCode(200);
    }

    @Test
    void issAndSubMustBothBeTheClient() {
        Partners.Partner partner = partners.create(ORG);
        Partners.Partner other = partners.create(ORG);
        refusedAsInvalidClient(partners.assertion(partner, c -> c.subject(other.clientId())));
        refusedAsInvalidClient(partners.assertion(partner, c -> c.issuer(other.clientId())));
        token(partners.assertion(partner, c -> { }), Map.of("client_id", other.clientId()))
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void anAssertionIsAcceptedOnceAndItsJtiIsRequired() {
        Partners.Partner partner = partners.create(ORG);
        refusedAsInvalidClient(partners.assertion(partner, c -> c.jwtID(null)));
        String assertion = partners.assertion(partner, c -> { });
        token(assertion, Map.of()).then().statusCode(200);
        refusedAsInvalidClient(assertion);
        // A new assertion with the same jti is a replay too.
        String jti = UUID.randomUUID().toString();
        token(partners.assertion(partner, c -> c.jwtID(jti)), Map.of()).then().statusCode(200);
        refusedAsInvalidClient(partners.assertion(partner, c -> c.jwtID(jti)));
    }

    @Test
    void concurrentReplaysOfOneAssertionYieldOneToken() throws Exception {
        Partners.Partner partner = partners.create(ORG);
        String assertion = partners.assertion(partner, c -> { });
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                calls.add(() -> token(assertion, Map.of()).statusCode());
            }
            int ok = 0;
            for (Future<Integer> status : pool.invokeAll(calls)) {
                ok += status.get() == 200 ? 1 : 0;
            }
            assertEquals(1, ok, "exactly one of ten concurrent uses of one assertion succeeds");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void unknownClientsAndClientsWithoutKeysAreRefused() {
        ECKey key = Partners.ecKey();
        refusedAsInvalidClient(Partners.assertion(key, partners.claims("no-such-partner", c -> { })));
        // The public CLI client has no keys: an assertion in its name proves nothing.
        refusedAsInvalidClient(Partners.assertion(key, partners.claims(DemoSeed.CLI_CLIENT, c -> { })));
    }

    @Test
    void aSecretBasedClientCannotUseClientCredentials() throws Throwable {
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> clients.register(new OAuthClients.Registration("cc-secret-client",
                "Secret client", List.of("https://app.example.test/cb"), List.of("openid", "unlock"), "s3cret-s3cret")));
        TokenResponse response = TokenResponse.parse(new TokenRequest(URI.create(Partners.TOKEN_ENDPOINT),
                new ClientSecretBasic(new ClientID("cc-secret-client"), new Secret("s3cret-s3cret")),
                new ClientCredentialsGrant(), new Scope("unlock")).toHTTPRequest().send());
        assertFalse(response.indicatesSuccess());
        assertEquals("unauthorized_client", response.toErrorResponse().getErrorObject().getCode());
        given().formParam("grant_type", "client_credentials").formParam("client_id", "cc-secret-client")
                .formParam("client_secret", "s3cret-s3cret").when().post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("unauthorized_client"));
    }

    @Test
    void scopesAndOrganizationsAreOnlyWhatWasGranted() {
        UUID second = partners.organization();
        UUID stranger = partners.organization();
        Partners.Partner partner = partners.create(ORG, second);

        Response both = token(partners.assertion(partner, c -> { }), Map.of());
        both.then().statusCode(200).body("scope", equalTo("unlock"));
        assertEquals(List.of(ORG.toString(), second.toString()).stream().sorted().toList(),
                orgs(both).stream().sorted().toList());

        Response narrowed = token(partners.assertion(partner, c -> { }), Map.of("organization", second.toString()));
        narrowed.then().statusCode(200);
        assertEquals(List.of(second.toString()), orgs(narrowed));

        token(partners.assertion(partner, c -> { }), Map.of("organization", stranger.toString()))
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
        token(partners.assertion(partner, c -> { }), Map.of("organization", ORG + " " + stranger))
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
        token(partners.assertion(partner, c -> { }), Map.of("scope", "unlock profile"))
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
        token(partners.assertion(partner, c -> { }), Map.of("organization", "not-a-uuid"))
                .then().statusCode(400).body("error", equalTo("invalid_scope"));

        partners.revoke(partner, second);
        Response afterRevocation = token(partners.assertion(partner, c -> { }), Map.of());
        afterRevocation.then().statusCode(200);
        assertEquals(List.of(ORG.toString()), orgs(afterRevocation));
        token(partners.assertion(partner, c -> { }), Map.of("organization", second.toString()))
                .then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void aPartnerNoOrganizationGrantedGetsNoToken() {
        Partners.Partner partner = partners.create();
        token(partners.assertion(partner, c -> { }), Map.of()).then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void theDemoPartnerIsSeededWithTheDemoOrganizationsGrant() {
        Partners.Partner demo = new Partners.Partner(DemoPartner.CLIENT_ID, Partners.demoPartnerKey());
        Response issued = token(partners.assertion(demo, c -> { }), Map.of());
        issued.then().statusCode(200).body("scope", equalTo("unlock"));
        assertEquals(List.of(ORG.toString()), orgs(issued));
    }

    static List<String> orgs(Response response) {
        try {
            return SignedJWT.parse(response.path("access_token")).getJWTClaimsSet().getStringListClaim("orgs");
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
