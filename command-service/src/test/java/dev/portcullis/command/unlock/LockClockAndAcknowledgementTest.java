package dev.portcullis.command.unlock;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.command.support.Topics;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a lock's clock and its acknowledgements can and cannot do to an attempt. */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class LockClockAndAcknowledgementTest {

    private static final String ORG = UUID.randomUUID().toString();
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
        locks.clear();
    }

    private TestLock connected(TestLock lock, String door) {
        PeerServices.enroll(ORG, door, lock);
        lock.connect(port);
        locks.add(lock);
        return lock;
    }

    private static Response unlock(String door) {
        return given().auth().oauth2(TestIssuer.shared().token(TENANT, ORG, "tenant").sign())
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .when().post("/v1/doors/{door}/unlock", door);
    }

    /** The CLOCK_SKEW alerts raised for the lock (its topic also carries its presence). */
    private static List<LockEvent> clockAlerts(String lockId, int eventsOnTheLockTopic) {
        return Topics.eventsFor("portcullis.lock.v1", lockId, eventsOnTheLockTopic).stream()
                .filter(EventEnvelope::hasLockEventReported)
                .map(event -> event.getLockEventReported().getEvent())
                .filter(event -> event.getType() == LockEventType.LOCK_EVENT_TYPE_CLOCK_SKEW)
                .toList();
    }

    @Test
    void aLockFiveMinutesAheadRefusesTheCommandAsExpiredAndAClockAlertIsRaised() {
        String door = UUID.randomUUID().toString();
        TestLock ahead = connected(new TestLock(Duration.ofMinutes(5)), door);

        unlock(door).then().statusCode(201)
                .body("status", equalTo("failed"))
                .body("reasons", contains("LOCK_REFUSED_EXPIRED"));
        assertEquals(0, ahead.actuations(), "the lock did not open");

        List<LockEvent> alerts = clockAlerts(ahead.lockId(), 2);
        assertEquals(1, alerts.size(), "one alert, from the signed refusal");
        assertTrue(alerts.get(0).getDetail().startsWith("+300") || alerts.get(0).getDetail().startsWith("+299"),
                alerts.get(0).getDetail());
    }

    @Test
    void aLockFiveMinutesBehindRefusesTheCommandAsNotYetValidAndItsHeartbeatRaisesTheAlertOnce() {
        String door = UUID.randomUUID().toString();
        TestLock behind = connected(new TestLock(Duration.ofMinutes(-5)), door);
        behind.heartbeat();
        behind.heartbeat();

        unlock(door).then().statusCode(201)
                .body("status", equalTo("failed"))
                .body("reasons", contains("LOCK_REFUSED_NOT_YET_VALID"));
        assertEquals(0, behind.actuations());

        // presence online + one alert: two heartbeats and a refusal while the clock stays off are one episode
        List<LockEvent> alerts = clockAlerts(behind.lockId(), 2);
        assertEquals(1, alerts.size());
        assertTrue(alerts.get(0).getDetail().startsWith("-300") || alerts.get(0).getDetail().startsWith("-299"),
                alerts.get(0).getDetail());
    }

    @Test
    void aLockWithinTheToleranceRaisesNoAlert() throws Exception {
        String door = UUID.randomUUID().toString();
        TestLock close = connected(new TestLock(Duration.ofSeconds(3)), door);
        close.heartbeat();

        unlock(door).then().statusCode(201).body("status", equalTo("succeeded"));
        close.close();
        // exactly presence online and offline: no alert in between
        assertEquals(List.of(), clockAlerts(close.lockId(), 2));
    }

    @Test
    void aDuplicatedAcknowledgementIsIgnored() {
        String door = UUID.randomUUID().toString();
        TestLock lock = connected(new TestLock().duplicatingAcknowledgements(), door);

        String first = unlock(door).then().statusCode(201).body("status", equalTo("succeeded")).extract().path("id");
        String second = unlock(door).then().statusCode(201).body("status", equalTo("succeeded")).extract().path("id");
        assertEquals(2, lock.actuations(), "one actuation per command");
        for (String attempt : List.of(first, second)) {
            List<EventEnvelope> events = Topics.eventsFor("portcullis.unlock.v1", attempt, 4);
            assertEquals(1, events.stream().filter(EventEnvelope::hasUnlockAcknowledged).count(), "acknowledged once");
        }
    }

    @Test
    void anAcknowledgementArrivingAfterTheAttemptExpiredIsIgnored() throws Exception {
        String door = UUID.randomUUID().toString();
        // command lifetime 5 s + grace 2 s: an answer after 9 s is late
        TestLock slow = connected(new TestLock().acknowledgingAfter(Duration.ofSeconds(9)), door);

        String attempt = unlock(door).then().statusCode(201)
                .body("status", equalTo("expired"))
                .body("reasons", contains("NO_ACKNOWLEDGEMENT"))
                .extract().path("id");
        Thread.sleep(3_000);

        given().auth().oauth2(TestIssuer.shared().token(TENANT, ORG, "tenant").sign())
                .when().get("/v1/action-attempts/{id}", attempt)
                .then().statusCode(200).body("status", equalTo("expired"));
        assertEquals(1, slow.received().size(), "the command was sent once");
        List<EventEnvelope> events = Topics.eventsFor("portcullis.unlock.v1", attempt, 4);
        assertEquals(0, events.stream().filter(EventEnvelope::hasUnlockAcknowledged).count(), "the late answer changed nothing");
        assertTrue(events.get(3).hasUnlockExpired());
    }
}
