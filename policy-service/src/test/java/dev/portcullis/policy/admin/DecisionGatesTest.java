package dev.portcullis.policy.admin;

import static dev.portcullis.policy.admin.PolicyFixtures.authorize;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.policy.decision.AuthorizeTest;
import dev.portcullis.policy.decision.TestClock;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.events.v1.LockPresenceChanged;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.proto.policy.v1.Reason;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Device gates fed by lock events on Kafka, and the per-subject rate limit, seen through gRPC Authorize. */
@QuarkusTest
@TestProfile(AuthorizeTest.Seeded.class)
class DecisionGatesTest {

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    TestClock clock;

    @BeforeEach
    void now() {
        clock.set(Instant.now());
    }

    @Test
    void anOfflineLockDeniesUntilItIsBackOnline() {
        PolicyFixtures f = new PolicyFixtures();
        f.grantTo("una");
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "una", f.door).getDecision());

        // The lock consumer reads from the newest offset: report until it has been heard.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            publishLock(presence(f, false));
            return authorize(policy, f.org, "una", f.door).getReasonsList().equals(List.of(Reason.REASON_DEVICE_OFFLINE));
        });
        // Someone without access learns nothing about the lock.
        assertEquals(List.of(Reason.REASON_NO_GRANT), authorize(policy, f.org, "stranger", f.door).getReasonsList());
        f.admin().get("/doors/" + f.door).then().statusCode(200).body("online", org.hamcrest.Matchers.equalTo(false));

        publishLock(presence(f, true));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> authorize(policy, f.org, "una", f.door).getDecision() == Decision.DECISION_PERMIT);
    }

    @Test
    void aKeypadLockoutDeniesForItsDurationOnly() {
        PolicyFixtures f = new PolicyFixtures();
        f.grantTo("vera");
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "vera", f.door).getDecision());
        Instant reported = clock.instant();

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            publishLock(PolicyFixtures.event(f.org, e -> e.setLockEventReported(LockEventReported.newBuilder().setLockId("lock-" + f.door)
                    .setDoorId(f.door.toString()).setEvent(LockEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                            .setType(LockEventType.LOCK_EVENT_TYPE_LOCKOUT).setDetail("PT5M")
                            .setOccurredAt(com.google.protobuf.Timestamp.newBuilder().setSeconds(reported.getEpochSecond()))))));
            return authorize(policy, f.org, "vera", f.door).getReasonsList().equals(List.of(Reason.REASON_DEVICE_LOCKED_OUT));
        });
        assertEquals(List.of(Reason.REASON_NO_GRANT), authorize(policy, f.org, "stranger", f.door).getReasonsList());

        // Five minutes after the lock reported it, the lockout is over.
        clock.set(reported.plus(Duration.ofMinutes(5)).plusSeconds(1));
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "vera", f.door).getDecision());
    }

    @Test
    void theNextPermitBeyondTheSubjectsRateLimitIsDenied() {
        PolicyFixtures f = new PolicyFixtures();
        f.admin().body(Map.of("rateLimitMaxUnlocks", 3, "rateLimitWindowSeconds", 600)).put("/settings").then().statusCode(200);
        f.grantTo("walt");
        f.grantTo("xena");
        Instant start = clock.instant();

        for (int i = 0; i < 3; i++) {
            clock.set(start.plusSeconds(i));
            assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "walt", f.door).getDecision(), "permit " + (i + 1));
        }
        clock.set(start.plusSeconds(10));
        assertEquals(List.of(Reason.REASON_RATE_LIMITED), authorize(policy, f.org, "walt", f.door).getReasonsList());
        // Per subject: another subject is not limited by walt's permits.
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "xena", f.door).getDecision());
        // Once the first permit leaves the 10-minute window, one more is allowed.
        clock.set(start.plusSeconds(600));
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "walt", f.door).getDecision());
        assertEquals(List.of(Reason.REASON_RATE_LIMITED), authorize(policy, f.org, "walt", f.door).getReasonsList());
    }

    private static EventEnvelope presence(PolicyFixtures f, boolean online) {
        return PolicyFixtures.event(f.org, e -> e.setLockPresenceChanged(LockPresenceChanged.newBuilder().setLockId("lock-" + f.door)
                .setDoorId(f.door.toString()).setOnline(online)));
    }

    private static void publishLock(EventEnvelope event) {
        PolicyFixtures.publish("portcullis.lock.v1", event.getOrganizationId(), event);
    }
}
