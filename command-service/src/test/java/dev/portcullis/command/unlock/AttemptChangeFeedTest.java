package dev.portcullis.command.unlock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.UnlockDecided;
import dev.portcullis.proto.policy.v1.Decision;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The watcher's rules, without a server: order, visibility, the end of a single watch, and the bound on a slow one. */
class AttemptChangeFeedTest {

    private static final UUID ORG = UUID.randomUUID();
    private static final Requester PARTNER = new Requester(ActorType.ACTOR_TYPE_PARTNER, "p1", ORG, "p1", Set.of(), List.of(), null, 0L);

    private record Open(AttemptChangeFeed.Watcher watcher, AssertSubscriber<ActionAttemptEntity> subscriber) {
    }

    private static Open open(UUID attemptId, int buffer, AtomicBoolean writable) {
        AtomicReference<AttemptChangeFeed.Watcher> watcher = new AtomicReference<>();
        AssertSubscriber<ActionAttemptEntity> subscriber = Multi.createFrom().<ActionAttemptEntity>emitter(emitter ->
                watcher.set(new AttemptChangeFeed.Watcher(PARTNER, attemptId, buffer, writable::get, emitter, null)), BackPressureStrategy.BUFFER)
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        return new Open(watcher.get(), subscriber);
    }

    private static ActionAttemptEntity attempt(UUID id, String requester, AttemptStatus status) {
        ActionAttemptEntity attempt = new ActionAttemptEntity();
        attempt.id = id;
        attempt.organizationId = ORG;
        attempt.requesterType = ActorType.ACTOR_TYPE_PARTNER.name();
        attempt.requesterId = requester;
        attempt.status = status;
        return attempt;
    }

    @Test
    void aWatcherNeverGoesBackAndAWatchOfOneAttemptEndsWhenItIsFinal() {
        UUID id = UUID.randomUUID();
        Open open = open(id, 8, new AtomicBoolean(true));
        open.watcher().offer(attempt(id, "p1", AttemptStatus.DISPATCHED));
        open.watcher().offer(attempt(id, "p1", AttemptStatus.REQUESTED));
        open.watcher().offer(attempt(id, "p1", AttemptStatus.DISPATCHED));
        open.watcher().offer(attempt(id, "p1", AttemptStatus.SUCCEEDED));
        assertEquals(List.of(AttemptStatus.DISPATCHED, AttemptStatus.SUCCEEDED), open.subscriber().getItems().stream().map(a -> a.status).toList());
        open.subscriber().assertCompleted();
    }

    @Test
    void aWatcherSeesOnlyItsRequestersAttemptsInItsOrganization() {
        AttemptChangeFeed.Watcher watcher = open(null, 8, new AtomicBoolean(true)).watcher();
        assertTrue(watcher.sees(attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED)));
        assertTrue(!watcher.sees(attempt(UUID.randomUUID(), "p2", AttemptStatus.REQUESTED)), "another partner's");
        ActionAttemptEntity elsewhere = attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED);
        elsewhere.organizationId = UUID.randomUUID();
        assertTrue(!watcher.sees(elsewhere), "another organization's");
        assertTrue(!open(UUID.randomUUID(), 8, new AtomicBoolean(true)).watcher().sees(attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED)),
                "not the watched attempt");
    }

    @Test
    void aWatcherThatFallsTooFarBehindIsDropped() {
        AtomicBoolean writable = new AtomicBoolean(false);
        Open open = open(null, 2, writable);
        open.watcher().offer(attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED));
        open.watcher().offer(attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED));
        open.subscriber().assertNotTerminated();
        open.watcher().offer(attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED));
        assertInstanceOf(AttemptChangeFeed.SlowWatcherException.class, open.subscriber().getFailure());
        assertEquals(2, open.subscriber().getItems().size());
    }

    @Test
    void aWatcherThatCatchesUpIsKept() {
        AtomicBoolean writable = new AtomicBoolean(false);
        Open open = open(null, 2, writable);
        open.watcher().offer(attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED));
        open.watcher().offer(attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED));
        writable.set(true);
        for (int i = 0; i < 10; i++) {
            open.watcher().offer(attempt(UUID.randomUUID(), "p1", AttemptStatus.REQUESTED));
        }
        open.subscriber().assertNotTerminated();
        assertEquals(12, open.subscriber().getItems().size());
    }

    @Test
    void aPermitAnnouncesPendingApprovalBeforeTheApprovalAndAuthorizedAfterIt() {
        ActionAttemptEntity row = attempt(UUID.randomUUID(), "p1", AttemptStatus.SUCCEEDED);
        EventEnvelope permit = EventEnvelope.newBuilder()
                .setUnlockDecided(UnlockDecided.newBuilder().setDecision(Decision.DECISION_PERMIT)).build();
        Instant decided = Instant.parse("2026-01-01T10:00:00Z");
        assertEquals(AttemptStatus.AUTHORIZED, AttemptChangeFeed.statusAfter(permit, row, decided), "no approval needed");
        row.approvalRole = "property_manager";
        assertEquals(AttemptStatus.PENDING_APPROVAL, AttemptChangeFeed.statusAfter(permit, row, decided), "not approved yet");
        row.approvedAt = OffsetDateTime.ofInstant(decided.plusSeconds(30), ZoneOffset.UTC);
        assertEquals(AttemptStatus.PENDING_APPROVAL, AttemptChangeFeed.statusAfter(permit, row, decided), "decided before the approval");
        assertEquals(AttemptStatus.AUTHORIZED, AttemptChangeFeed.statusAfter(permit, row, decided.plusSeconds(31)), "decided after it");
        EventEnvelope deny = EventEnvelope.newBuilder()
                .setUnlockDecided(UnlockDecided.newBuilder().setDecision(Decision.DECISION_DENY)).build();
        assertEquals(AttemptStatus.DENIED, AttemptChangeFeed.statusAfter(deny, row, decided));
    }

    @Test
    void anEarlierStateIsProjectedWithoutWhatLaterStepsSet() {
        ActionAttemptEntity row = attempt(UUID.randomUUID(), "p1", AttemptStatus.SUCCEEDED);
        row.lockId = UUID.randomUUID();
        row.commandId = UUID.randomUUID();
        row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        Instant at = Instant.now();
        ActionAttemptEntity requested = AttemptChangeFeed.asOf(row, AttemptStatus.REQUESTED, at);
        assertEquals(AttemptStatus.REQUESTED, requested.status);
        assertEquals(null, requested.lockId);
        assertEquals(null, requested.commandId);
        assertEquals(at, requested.updatedAt.toInstant());
        ActionAttemptEntity dispatched = AttemptChangeFeed.asOf(row, AttemptStatus.DISPATCHED, at);
        assertEquals(row.commandId, dispatched.commandId);
        assertEquals(row, AttemptChangeFeed.asOf(row, AttemptStatus.SUCCEEDED, at));
    }
}
