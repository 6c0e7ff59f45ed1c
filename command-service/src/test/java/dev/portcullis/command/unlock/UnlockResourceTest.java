package dev.portcullis.command.unlock;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.command.support.Topics;
import dev.portcullis.lock.protocol.InMemoryLockKeys;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.grpc.Status;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class UnlockResourceTest {

    private static final String ORG = UUID.randomUUID().toString();
    private static final String OTHER_ORG = UUID.randomUUID().toString();
    private static final String TENANT = UUID.randomUUID().toString();

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
    }

    private String connectedLockOn(String door) {
        TestLock lock = new TestLock();
        PeerServices.enroll(ORG, door, lock);
        lock.connect(port);
        locks.add(lock);
        return lock.lockId();
    }

    private TestLock lock(int index) {
        return locks.get(index);
    }

    private static String token() {
        return TestIssuer.shared().token(TENANT, ORG, "tenant").sign();
    }

    private static Response unlock(String door, String key, String token) {
        return given().auth().oauth2(token).header("Idempotency-Key", key)
                .when().post("/v1/doors/{door}/unlock", door);
    }

    @Test
    void aPermittedUnlockActuatesTheLockOnceAndEveryStepIsAnEvent() {
        String door = UUID.randomUUID().toString();
        String lockId = connectedLockOn(door);

        String attemptId = unlock(door, UUID.randomUUID().toString(), token())
                .then().statusCode(201)
                .header("Location", containsString("/v1/action-attempts/"))
                .body("status", equalTo("succeeded"))
                .body("lockId", equalTo(lockId))
                .body("doorId", equalTo(door))
                .extract().path("id");
        assertEquals(1, lock(0).actuations());
        assertEquals(1, lock(0).received().size());

        given().auth().oauth2(token()).when().get("/v1/action-attempts/{id}", attemptId)
                .then().statusCode(200).body("status", equalTo("succeeded"));

        List<EventEnvelope> events = eventsFor(attemptId, 4);
        assertEquals(List.of(EventEnvelope.PayloadCase.UNLOCK_REQUESTED, EventEnvelope.PayloadCase.UNLOCK_DECIDED,
                EventEnvelope.PayloadCase.UNLOCK_DISPATCHED, EventEnvelope.PayloadCase.UNLOCK_ACKNOWLEDGED),
                events.stream().map(EventEnvelope::getPayloadCase).toList());
        for (EventEnvelope event : events) {
            assertEquals(ORG, event.getOrganizationId());
            assertEquals(TENANT, event.getActor().getId());
            assertTrue(event.hasOccurredAt());
        }
        assertEquals(4, events.stream().map(EventEnvelope::getEventId).distinct().count(), "one event id per state change");
    }

    @Test
    void twentyConcurrentRetriesOfOneKeySendOneCommand() throws Exception {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        String key = UUID.randomUUID().toString();
        String token = token();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Callable<Response>> calls = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                calls.add(() -> unlock(door, key, token));
            }
            List<Response> responses = new ArrayList<>();
            for (Future<Response> future : pool.invokeAll(calls)) {
                responses.add(future.get());
            }
            Set<String> ids = new java.util.HashSet<>();
            long created = 0;
            for (Response response : responses) {
                assertTrue(response.statusCode() == 201 || response.statusCode() == 200, response.asString());
                created += response.statusCode() == 201 ? 1 : 0;
                ids.add(response.path("id"));
            }
            assertEquals(1, created, "exactly one call created the attempt");
            assertEquals(1, ids.size(), "every retry returned the same attempt");
        } finally {
            pool.shutdownNow();
        }
        Thread.sleep(500);
        assertEquals(1, lock(0).received().size(), "one command reached the lock");
        assertEquals(1, lock(0).actuations());
    }

    @Test
    void concurrentUnlocksOfOneDoorReachTheLockInCounterOrderAndAllSucceed() throws Exception {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                answers.add(pool.submit(() -> unlock(door, UUID.randomUUID().toString(), token())));
            }
            for (Future<Response> answer : answers) {
                answer.get().then().statusCode(201).body("status", equalTo("succeeded"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(16, lock(0).actuations(), "the lock refused none as a replay: commands arrived in counter order");
    }

    @Test
    void aDenialIsProblemJsonWithThePolicyReasonAndNothingReachesTheLock() {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        PeerServices.POLICY.set(PeerServices.PolicyMode.DENY_OUTSIDE_SCHEDULE);

        unlock(door, UUID.randomUUID().toString(), token())
                .then().statusCode(403)
                .contentType(startsWith("application/problem+json"))
                .body("reasons", contains("OUTSIDE_SCHEDULE"))
                .body("actionAttemptId", org.hamcrest.Matchers.notNullValue());
        assertEquals(0, lock(0).received().size());
    }

    @Test
    void aPermitThatNeedsAStepUpIsAnRfc9470ChallengeAndNothingReachesTheLock() {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT_AFTER_STEP_UP);
        String key = UUID.randomUUID().toString();

        for (int attempt = 0; attempt < 2; attempt++) { // a retry with the same key repeats the same challenge
            unlock(door, key, token())
                    .then().statusCode(401)
                    .header("WWW-Authenticate", equalTo("Bearer error=\"insufficient_user_authentication\", "
                            + "error_description=\"A stronger or more recent sign-in is required for this door\", "
                            + "acr_values=\"aal2\", max_age=\"900\""))
                    .contentType(startsWith("application/problem+json"))
                    .body("type", equalTo("https://portcullis.dev/problems/step-up-required"))
                    .body("reasons", contains("STEP_UP_REQUIRED"));
        }
        assertEquals(0, lock(0).received().size());
    }

    @Test
    void aPermitWithAnObligationThisServiceCannotMeetIsRefused() {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT_WITH_LOCK_FACTOR);

        unlock(door, UUID.randomUUID().toString(), token()).then().statusCode(403)
                .body("reasons", contains("GRANT_MATCHED", "LOCK_FACTOR_REQUIRED"));
        assertEquals(0, lock(0).received().size());
    }

    @Test
    void aPermitThatNeedsASecondApproverWaitsAndSendsNothingThenExpiresUnapproved() {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT_WITH_SECOND_APPROVER);
        String key = UUID.randomUUID().toString();

        String attemptId = unlock(door, key, token()).then().statusCode(202)
                .header("Location", containsString("/v1/action-attempts/"))
                .body("status", equalTo("pending_approval"))
                .body("approval.eligibleRole", equalTo("property_manager"))
                .body("approval.expiresAt", org.hamcrest.Matchers.notNullValue())
                .body("reasons", contains("GRANT_MATCHED", "SECOND_APPROVER_REQUIRED"))
                .extract().path("id");
        unlock(door, key, token()).then().statusCode(202).body("id", equalTo(attemptId));
        assertEquals(0, lock(0).received().size(), "nothing is sent before a second person approves");

        OffsetDateTime deadline = OffsetDateTime.parse(given().auth().oauth2(token()).when().get("/v1/action-attempts/{id}", attemptId)
                .then().statusCode(200).body("status", equalTo("pending_approval")).extract().<String>path("approval.expiresAt"));
        assertFalse(await(() -> attempts.expireUnapproved(UUID.fromString(attemptId), deadline.minusSeconds(1))),
                "not before its deadline");
        assertTrue(await(() -> attempts.expireUnapproved(UUID.fromString(attemptId), deadline)));
        assertFalse(await(() -> attempts.expireUnapproved(UUID.fromString(attemptId), deadline)), "it expires once");

        given().auth().oauth2(token()).when().get("/v1/action-attempts/{id}", attemptId)
                .then().statusCode(200).body("status", equalTo("expired")).body("reasons", contains("APPROVAL_TIMEOUT"))
                .body("approval", org.hamcrest.Matchers.nullValue());
        List<EventEnvelope> events = eventsFor(attemptId, 4);
        assertEquals(List.of(EventEnvelope.PayloadCase.UNLOCK_REQUESTED, EventEnvelope.PayloadCase.UNLOCK_DECIDED,
                EventEnvelope.PayloadCase.APPROVAL_REQUESTED, EventEnvelope.PayloadCase.UNLOCK_EXPIRED),
                events.stream().map(EventEnvelope::getPayloadCase).toList());
        assertEquals("property_manager", events.get(2).getApprovalRequested().getEligibleRole());
        assertEquals(dev.portcullis.proto.policy.v1.Decision.DECISION_PERMIT, events.get(1).getUnlockDecided().getDecision());
        assertEquals(0, lock(0).received().size());
    }

    @Inject
    ActionAttempts attempts;

    private static <T> T await(java.util.function.Supplier<io.smallrye.mutiny.Uni<T>> work) {
        try {
            return io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(work);
        } catch (Throwable e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aStalledPolicyMeansDenyAtTheDeadline() {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        PeerServices.POLICY.set(PeerServices.PolicyMode.STALL);

        int answeredBefore = PeerServices.STALLED_ANSWERS.get();
        unlock(door, UUID.randomUUID().toString(), token())
                .then().statusCode(403).body("reasons", contains("POLICY_UNAVAILABLE"));
        // The stalled policy PERMITs after 8 s: denied before it answered means the deadline decided.
        assertEquals(answeredBefore, PeerServices.STALLED_ANSWERS.get(), "denied at the deadline, before the policy answered");
        assertEquals(0, lock(0).received().size());
    }

    @Test
    void anOfflineLockFailsAtOnceAndIsNeverQueued() {
        String door = UUID.randomUUID().toString();
        TestLock offline = new TestLock();
        PeerServices.enroll(ORG, door, offline);

        unlock(door, UUID.randomUUID().toString(), token())
                .then().statusCode(201).body("status", equalTo("failed")).body("reasons", contains("LOCK_OFFLINE"));
        offline.connect(port);
        locks.add(offline);
        assertEquals(0, offline.received().size(), "nothing was waiting for the lock when it came online");
    }

    @Test
    void anUnacknowledgedCommandExpiresAndIsNeverSentAgain() throws Exception {
        String door = UUID.randomUUID().toString();
        TestLock silent = new TestLock().silent();
        PeerServices.enroll(ORG, door, silent);
        silent.connect(port);
        locks.add(silent);

        unlock(door, UUID.randomUUID().toString(), token())
                .then().statusCode(201).body("status", equalTo("expired")).body("reasons", contains("NO_ACKNOWLEDGEMENT"));
        Thread.sleep(1500);
        assertEquals(1, silent.received().size(), "an expired command is dead: never re-sent");
    }

    @Test
    void theGatewayRefusesALockThatCannotProveItsKey() throws Exception {
        TestLock impostor = new TestLock();
        PeerServices.enroll(ORG, UUID.randomUUID().toString(), impostor);
        try {
            impostor.connect(port, InMemoryLockKeys.generate());
        } catch (IllegalStateException expected) {
            // not welcomed
        }
        assertEquals(Status.Code.UNAUTHENTICATED, impostor.awaitClosed(Duration.ofSeconds(5)).getCode());
        impostor.close();

        TestLock unknown = new TestLock();
        try {
            unknown.connect(port);
        } catch (IllegalStateException expected) {
            // not welcomed
        }
        assertEquals(Status.Code.UNAUTHENTICATED, unknown.awaitClosed(Duration.ofSeconds(5)).getCode());
        unknown.close();
    }

    @Test
    void badTokensAreRefusedBeforeAnythingHappens() {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        TestIssuer issuer = TestIssuer.shared();
        Map<String, String> bad = Map.of(
                "foreign key", issuer.token(TENANT, ORG).foreignKey().sign(),
                "wrong issuer", issuer.token(TENANT, ORG).issuer("http://127.0.0.1:1").sign(),
                "wrong audience", issuer.token(TENANT, ORG).audience("someone-else").sign(),
                "expired", issuer.token(TENANT, ORG).issuedAgo(Duration.ofMinutes(10), Duration.ofMinutes(5)).sign(),
                "alg none", issuer.token(TENANT, ORG).unsigned(),
                "ID token type", issuer.token(TENANT, ORG).type("JWT").sign());
        bad.forEach((what, token) -> assertEquals(401,
                unlock(door, UUID.randomUUID().toString(), token).statusCode(), what + " must be refused"));
        given().header("Idempotency-Key", UUID.randomUUID().toString()).when().post("/v1/doors/{door}/unlock", door)
                .then().statusCode(401);
        assertEquals(0, lock(0).received().size());
        assertEquals(401, given().auth().oauth2(issuer.token(TENANT, ORG).unsigned()).get("/v1/action-attempts/" + UUID.randomUUID()).statusCode());
    }

    @Test
    void anAttemptIsVisibleOnlyToItsRequesterAndTheirOrganizationsOperators() {
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        String attemptId = unlock(door, UUID.randomUUID().toString(), token()).then().statusCode(201).extract().path("id");
        TestIssuer issuer = TestIssuer.shared();

        given().auth().oauth2(issuer.token(UUID.randomUUID().toString(), ORG, "tenant").sign())
                .get("/v1/action-attempts/{id}", attemptId).then().statusCode(404);
        given().auth().oauth2(issuer.token(UUID.randomUUID().toString(), OTHER_ORG, "operator").sign())
                .get("/v1/action-attempts/{id}", attemptId).then().statusCode(404);
        given().auth().oauth2(issuer.token(UUID.randomUUID().toString(), ORG, "operator").sign())
                .get("/v1/action-attempts/{id}", attemptId).then().statusCode(200);
        // Another organization's token cannot reuse the same door id to reach this lock.
        given().auth().oauth2(issuer.token(TENANT, OTHER_ORG, "tenant").sign()).header("Idempotency-Key", UUID.randomUUID().toString())
                .post("/v1/doors/{door}/unlock", door).then().statusCode(201).body("status", equalTo("failed"))
                .body("reasons", contains("UNKNOWN_DOOR"));
        assertEquals(1, lock(0).received().size());
    }

    @Test
    void badInputIsAClearProblem() {
        given().auth().oauth2(token()).when().post("/v1/doors/{door}/unlock", UUID.randomUUID().toString())
                .then().statusCode(400).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("https://portcullis.dev/problems/idempotency-key-required"));
        given().auth().oauth2(token()).header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/not-a-uuid/unlock")
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        String door = UUID.randomUUID().toString();
        connectedLockOn(door);
        String key = UUID.randomUUID().toString();
        unlock(door, key, token()).then().statusCode(201);
        unlock(UUID.randomUUID().toString(), key, token())
                .then().statusCode(409).body("type", equalTo("https://portcullis.dev/problems/idempotency-key-reused"));
    }

    @Test
    void aLockConnectingAndLeavingIsAnnouncedOnTheLockTopic() {
        String door = UUID.randomUUID().toString();
        String lockId = connectedLockOn(door);
        lock(0).close();

        List<EventEnvelope> events = Topics.eventsFor("portcullis.lock.v1", lockId, 2);
        assertEquals(List.of(true, false), events.stream().map(e -> e.getLockPresenceChanged().getOnline()).toList());
        for (EventEnvelope event : events) {
            assertEquals(EventEnvelope.PayloadCase.LOCK_PRESENCE_CHANGED, event.getPayloadCase());
            assertEquals(door, event.getLockPresenceChanged().getDoorId());
            assertEquals(ORG, event.getOrganizationId());
        }
    }

    private static List<EventEnvelope> eventsFor(String attemptId, int expected) {
        return Topics.eventsFor("portcullis.unlock.v1", attemptId, expected);
    }

    /** Prometheus scrapes this (the ServiceMonitor in k8s/); never routed by the Ingress. */
    @Test
    void prometheusMetricsAreServed() {
        io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
