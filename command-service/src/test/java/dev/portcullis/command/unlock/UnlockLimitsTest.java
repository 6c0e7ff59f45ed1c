package dev.portcullis.command.unlock;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Admission limits per person, door and partner, and the circuit breaker in front of policy. */
@QuarkusTest
@TestProfile(UnlockLimitsTest.LowLimits.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class UnlockLimitsTest {

    public static class LowLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "portcullis.command.limits.per-user-per-minute", "3",
                    "portcullis.command.limits.per-door-per-minute", "4",
                    "portcullis.command.limits.per-partner-per-minute", "3",
                    "quarkus.fault-tolerance.\"dev.portcullis.command.peers.Breakers/policy\".circuit-breaker.request-volume-threshold", "4",
                    "quarkus.fault-tolerance.\"dev.portcullis.command.peers.Breakers/policy\".circuit-breaker.delay", "2000");
        }
    }

    private static final String ORG = UUID.randomUUID().toString();
    private static final String PARTNER = "partner-" + UUID.randomUUID();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private final List<TestLock> locks = new ArrayList<>();

    @BeforeEach
    void permitByDefault() {
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT);
    }

    @AfterEach
    void disconnectLocks() {
        locks.forEach(TestLock::close);
        locks.clear();
    }

    private TestLock connectedLockOn(String door) {
        TestLock lock = new TestLock();
        PeerServices.enroll(ORG, door, lock);
        lock.connect(port);
        locks.add(lock);
        return lock;
    }

    private static Response unlock(String door, String token) {
        return given().auth().oauth2(token).header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door);
    }

    private static String person(String subject) {
        return TestIssuer.shared().token(subject, ORG, "tenant").sign();
    }

    @Test
    void aPersonAndADoorEachHaveTheirLimitAndARefusalCostsNothingElse() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connectedLockOn(door);
        String alex = person(UUID.randomUUID().toString());

        for (int i = 0; i < 3; i++) {
            unlock(door, alex).then().statusCode(201).body("status", equalTo("succeeded"));
        }
        String retryAfter = unlock(door, alex).then().statusCode(429)
                .contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://portcullis.dev/problems/rate-limited"))
                .body("limit", equalTo("user"))
                .extract().header("Retry-After");
        assertTrue(Integer.parseInt(retryAfter) >= 1 && Integer.parseInt(retryAfter) <= 20, retryAfter);

        // Another person still gets the door's fourth unlock; a third person then meets the door's limit.
        unlock(door, person(UUID.randomUUID().toString())).then().statusCode(201);
        unlock(door, person(UUID.randomUUID().toString())).then().statusCode(429).body("limit", equalTo("door"));
        assertEquals(4, lock.actuations(), "refused requests never reached the lock");

        // Alex's limit is Alex's: another door is refused for Alex as well, and nothing was recorded for it.
        unlock(UUID.randomUUID().toString(), alex).then().statusCode(429).body("limit", equalTo("user"));
    }

    @Test
    void aPartnerHasOneLimitAcrossItsGuests() {
        String token = TestIssuer.shared().partner(PARTNER, "unlock", ORG).sign();
        for (int i = 0; i < 3; i++) {
            unlock(connectedLockOnFreshDoor(), token).then().statusCode(201).body("status", equalTo("succeeded"));
        }
        unlock(connectedLockOnFreshDoor(), token).then().statusCode(429).body("limit", equalTo("partner"));
    }

    private String connectedLockOnFreshDoor() {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        return door;
    }

    @Test
    void aFailingPolicyOpensTheBreakerUnlocksAreRefusedWithoutAskingReadsAreServedAndItClosesAgain() throws Exception {
        PeerServices.POLICY.set(PeerServices.PolicyMode.UNAVAILABLE);
        List<String> attempts = new ArrayList<>();
        List<String> people = new ArrayList<>();
        int before = PeerServices.AUTHORIZE_CALLS.get();
        for (int i = 0; i < 4; i++) {
            String person = person(UUID.randomUUID().toString());
            people.add(person);
            attempts.add(unlock(connectedLockOnFreshDoor(), person).then().statusCode(403)
                    .body("reasons", contains("POLICY_UNAVAILABLE")).extract().path("actionAttemptId"));
        }
        // The breaker looks at the last 4 calls and opens when half failed: after 2 to 4 failures,
        // depending on the successes before them.
        int asked = PeerServices.AUTHORIZE_CALLS.get() - before;
        assertTrue(asked >= 2 && asked <= 4, "policy asked " + asked + " times before the breaker opened");

        // Open: refused at once, policy is not even asked.
        for (int i = 0; i < 3; i++) {
            unlock(connectedLockOnFreshDoor(), person(UUID.randomUUID().toString())).then().statusCode(403)
                    .body("reasons", contains("POLICY_UNAVAILABLE"));
        }
        assertEquals(before + asked, PeerServices.AUTHORIZE_CALLS.get(), "the open breaker kept the calls off policy");

        // Reads do not need policy.
        given().auth().oauth2(people.get(0)).when().get("/v1/action-attempts/{id}", attempts.get(0))
                .then().statusCode(200).body("status", equalTo("denied"));

        // Policy is back; after the breaker's delay trial calls go through and it closes.
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT);
        Thread.sleep(2_500);
        for (int i = 0; i < 3; i++) {
            unlock(connectedLockOnFreshDoor(), person(UUID.randomUUID().toString())).then().statusCode(201)
                    .body("status", equalTo("succeeded"));
        }
    }
}
