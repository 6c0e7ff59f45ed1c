package dev.portcullis.command.unlock;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestDpop;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Partners unlock with DPoP-bound client-credentials tokens (RFC 9449 §7): the proof must be there, made
 * with the bound key, for this request and this token; a bound token is no bearer token; and a partner acts
 * only in organizations that granted it, under a policy subject no person's grant can match.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class PartnerUnlockTest {

    private static final String ORG = UUID.randomUUID().toString();
    private static final String OTHER_ORG = UUID.randomUUID().toString();
    private static final String PARTNER = "partner-" + UUID.randomUUID();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final List<TestLock> locks = new ArrayList<>();
    private final TestDpop dpop = new TestDpop();

    @BeforeEach
    void permitByDefault() {
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT);
    }

    @AfterEach
    void disconnectLocks() {
        locks.forEach(TestLock::close);
    }

    private TestLock connectedLock(String organization, String door) {
        TestLock lock = new TestLock();
        PeerServices.enroll(organization, door, lock);
        lock.connect(port);
        locks.add(lock);
        return lock;
    }

    private String url(String door) {
        return "http://localhost:" + port + "/v1/doors/" + door + "/unlock";
    }

    private String boundToken() {
        return TestIssuer.shared().partner(PARTNER, "unlock", ORG).boundTo(dpop.thumbprint()).sign();
    }

    private Response dpopUnlock(String door, String token, String proof) {
        var request = given().header("Authorization", "DPoP " + token).header("Idempotency-Key", UUID.randomUUID().toString());
        if (proof != null) {
            request.header("DPoP", proof);
        }
        return request.when().post("/v1/doors/{door}/unlock", door);
    }

    @Test
    void aBoundPartnerTokenWithAValidProofUnlocksADoorOfAGrantingOrganization() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        String token = boundToken();

        dpopUnlock(door, token, dpop.proof("POST", url(door), token))
                .then().statusCode(201).body("status", equalTo("succeeded"));
        assertEquals(1, lock.actuations());
        AuthorizeRequest asked = PeerServices.LAST_AUTHORIZE.get();
        assertEquals(ORG, asked.getOrganizationId());
        assertEquals("partner:" + PARTNER, asked.getSubjectId(), "policy sees a namespaced partner subject");
        assertEquals(PARTNER, asked.getContext().getAuthentication().getClientId());
    }

    @Test
    void withoutAProofTheBoundTokenIsRefused() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        dpopUnlock(door, boundToken(), null).then().statusCode(401);
        assertEquals(0, lock.received().size());
    }

    @Test
    void aProofMadeWithAnotherKeyIsRefused() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        String token = boundToken();
        dpopUnlock(door, token, new TestDpop().proof("POST", url(door), token)).then().statusCode(401);
        assertEquals(0, lock.received().size());
    }

    @Test
    void aBoundTokenPresentedAsBearerIsRefused() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        String token = boundToken();
        given().auth().oauth2(token).header("DPoP", dpop.proof("POST", url(door), token))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door).then().statusCode(401);
        assertEquals(0, lock.received().size());
    }

    @Test
    void aProofForAnotherTokenRequestOrTimeIsRefused() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        String token = boundToken();
        String otherToken = boundToken();
        dpopUnlock(door, token, dpop.proof("POST", url(door), otherToken)).then().statusCode(401);
        dpopUnlock(door, token, dpop.proof("POST", url(door), null)).then().statusCode(401);
        dpopUnlock(door, token, dpop.proof("GET", url(door), token)).then().statusCode(401);
        dpopUnlock(door, token, dpop.proof("POST", url(UUID.randomUUID().toString()), token)).then().statusCode(401);
        dpopUnlock(door, token, dpop.proof("POST", url(door), token, Instant.now().minusSeconds(300), UUID.randomUUID().toString()))
                .then().statusCode(401);
        dpopUnlock(door, token, dpop.proof("POST", url(door), token, Instant.now().plusSeconds(300), UUID.randomUUID().toString()))
                .then().statusCode(401);
        assertEquals(0, lock.received().size());
    }

    @Test
    void aProofIsAcceptedOnce() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        String token = boundToken();
        String proof = dpop.proof("POST", url(door), token);
        dpopUnlock(door, token, proof).then().statusCode(201);
        dpopUnlock(door, token, proof).then().statusCode(401);
        assertEquals(1, lock.received().size());
    }

    @Test
    void anUnboundTokenUnderTheDpopSchemeIsRefused() {
        String door = UUID.randomUUID().toString();
        connectedLock(ORG, door);
        String unbound = TestIssuer.shared().partner(PARTNER, "unlock", ORG).sign();
        dpopUnlock(door, unbound, dpop.proof("POST", url(door), unbound)).then().statusCode(401);
    }

    @Test
    void aPartnerCannotUnlockInAnOrganizationThatDidNotGrantIt() {
        String door = UUID.randomUUID().toString();
        TestLock foreign = connectedLock(OTHER_ORG, door);
        String token = boundToken();
        // Naming the other organization: refused before anything is recorded.
        given().header("Authorization", "DPoP " + token).header("DPoP", dpop.proof("POST", url(door), token))
                .header("Idempotency-Key", UUID.randomUUID().toString()).queryParam("organization", OTHER_ORG)
                .when().post("/v1/doors/{door}/unlock", door).then().statusCode(403);
        // In its own organization the other organization's door does not exist: nothing reaches the lock.
        dpopUnlock(door, token, dpop.proof("POST", url(door), token)).then().body("status", not(equalTo("succeeded")));
        assertEquals(0, foreign.received().size());
        assertEquals(0, foreign.actuations());
    }

    @Test
    void aPartnerTokenWithoutUnlockScopeOrWithSeveralOrganizationsAndNoChoiceIsRefused() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLock(ORG, door);
        String readOnly = TestIssuer.shared().partner(PARTNER, "doors:read", ORG).boundTo(dpop.thumbprint()).sign();
        dpopUnlock(door, readOnly, dpop.proof("POST", url(door), readOnly)).then().statusCode(403);
        String several = TestIssuer.shared().partner(PARTNER, "unlock", ORG, OTHER_ORG).boundTo(dpop.thumbprint()).sign();
        dpopUnlock(door, several, dpop.proof("POST", url(door), several)).then().statusCode(400);
        given().header("Authorization", "DPoP " + several).header("DPoP", dpop.proof("POST", url(door), several))
                .header("Idempotency-Key", UUID.randomUUID().toString()).queryParam("organization", ORG)
                .when().post("/v1/doors/{door}/unlock", door).then().statusCode(201).body("status", equalTo("succeeded"));
        assertEquals(1, lock.actuations());
    }
}
