package dev.portcullis.command.unlock;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.policy.v1.Decision;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.BackPressureStrategy;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Action attempts as they change, for watchers (partner gRPC stream, SSE). Fed by the unlock topic
 * {@code portcullis.unlock.v1}, which the outbox publishes every transition to, keyed by the attempt: every
 * replica follows it with a consumer group of its own (latest offsets), so a watcher on any replica sees an
 * attempt another replica moves. Each event is turned into the attempt's state as of that event (the row is
 * read again from the database; when it has moved on meanwhile, the earlier state is projected from it), and
 * handed to the watchers allowed to see it (the same rule as {@link ActionAttempts#visibleTo}).
 * <p>
 * A watcher gets the current state first, then each later state once, in lifecycle order (a state no further
 * along than one it already has is skipped, so replays and the initial read never go backwards). A watcher
 * whose transport stays unwritable for more than {@code buffer} changes is dropped ({@link SlowWatcherException})
 * rather than buffering without bound.
 */
@ApplicationScoped
public class AttemptChangeFeed {

    private static final Logger LOG = Logger.getLogger(AttemptChangeFeed.class);

    /** How many of the caller's attempts still under way a new organization-wide watch starts with. */
    static final int INITIAL_LIMIT = 100;

    @Inject
    ActionAttemptRepository repository;

    @Inject
    ActionAttempts attempts;

    private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();

    /** A watcher was too slow to keep up and was dropped. */
    public static final class SlowWatcherException extends RuntimeException {
        SlowWatcherException(int buffer) {
            super("The watcher fell more than " + buffer + " changes behind and was dropped; watch again to resume", null, false, false);
        }
    }

    /**
     * The requester's attempts in their organization as they change (operators: every attempt of it), or only
     * {@code attemptId} (then the stream ends once it is final; not visible: fails as {@link ActionAttempts#visibleTo}).
     * {@code writable} tells whether the transport can take another message now (null: the subscriber's demand tells).
     */
    public Multi<ActionAttemptEntity> watch(Requester requester, UUID attemptId, int buffer, BooleanSupplier writable) {
        return Multi.createFrom().<ActionAttemptEntity>emitter(emitter -> {
            Watcher watcher = new Watcher(requester, attemptId, buffer, writable, emitter, Vertx.currentContext());
            // Registered before the current state is read, so no change between the two is missed.
            watchers.add(watcher);
            emitter.onTermination(() -> watchers.remove(watcher));
            current(requester, attemptId).subscribe().with(list -> list.forEach(watcher::offer), emitter::fail);
        }, BackPressureStrategy.BUFFER);
    }

    /** How many watchers are registered on this replica. */
    public int watchers() {
        return watchers.size();
    }

    private Uni<List<ActionAttemptEntity>> current(Requester requester, UUID attemptId) {
        if (attemptId != null) {
            return attempts.visibleTo(requester, attemptId).map(List::of);
        }
        List<AttemptStatus> underWay = List.of(AttemptStatus.REQUESTED, AttemptStatus.PENDING_APPROVAL, AttemptStatus.AUTHORIZED,
                AttemptStatus.DISPATCHED);
        return Panache.withSession(() -> requester.isOperator()
                ? repository.find("organizationId = ?1 and status in ?2 order by createdAt", requester.organizationId(), underWay)
                        .range(0, INITIAL_LIMIT - 1).list()
                : repository.find("organizationId = ?1 and requesterId = ?2 and status in ?3 order by createdAt",
                        requester.organizationId(), requester.subject(), underWay).range(0, INITIAL_LIMIT - 1).list());
    }

    @Incoming("attempt-changes")
    public Uni<Void> consume(byte[] payload) {
        EventEnvelope envelope;
        UUID attemptId;
        UUID organizationId;
        try {
            envelope = EventEnvelope.parseFrom(payload);
            String changed = changedAttempt(envelope);
            if (changed == null) {
                return Uni.createFrom().voidItem();
            }
            attemptId = UUID.fromString(changed);
            organizationId = UUID.fromString(envelope.getOrganizationId());
        } catch (InvalidProtocolBufferException | IllegalArgumentException e) {
            LOG.warnf("skipping a malformed unlock event: %s", e.getMessage());
            return Uni.createFrom().voidItem();
        }
        if (watchers.stream().noneMatch(watcher -> watcher.requester.organizationId().equals(organizationId))) {
            return Uni.createFrom().voidItem();
        }
        Instant occurredAt = Instant.ofEpochSecond(envelope.getOccurredAt().getSeconds(), envelope.getOccurredAt().getNanos());
        return Panache.withSession(() -> repository.findById(attemptId))
                .invoke(row -> {
                    if (row == null || !row.organizationId.equals(organizationId)) {
                        return;
                    }
                    AttemptStatus status = statusAfter(envelope, row, occurredAt);
                    if (status == null) {
                        return;
                    }
                    ActionAttemptEntity state = asOf(row, status, occurredAt);
                    watchers.forEach(watcher -> {
                        if (watcher.sees(state)) {
                            watcher.offer(state);
                        }
                    });
                })
                .onFailure().invoke(failure -> LOG.warnf("could not read attempt %s for its watchers: %s", attemptId, failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** The attempt whose state the event changes; null for events that change none (approval requested or granted). */
    private static String changedAttempt(EventEnvelope envelope) {
        return switch (envelope.getPayloadCase()) {
            case UNLOCK_REQUESTED -> envelope.getUnlockRequested().getActionAttemptId();
            case UNLOCK_DECIDED -> envelope.getUnlockDecided().getActionAttemptId();
            case UNLOCK_DISPATCHED -> envelope.getUnlockDispatched().getActionAttemptId();
            case UNLOCK_ACKNOWLEDGED -> envelope.getUnlockAcknowledged().getActionAttemptId();
            case UNLOCK_FAILED -> envelope.getUnlockFailed().getActionAttemptId();
            case UNLOCK_EXPIRED -> envelope.getUnlockExpired().getActionAttemptId();
            default -> null;
        };
    }

    /** The state the event announces; null when it announces none (approval requested or granted). */
    static AttemptStatus statusAfter(EventEnvelope envelope, ActionAttemptEntity row, Instant occurredAt) {
        return switch (envelope.getPayloadCase()) {
            case UNLOCK_REQUESTED -> AttemptStatus.REQUESTED;
            case UNLOCK_DECIDED -> {
                if (envelope.getUnlockDecided().getDecision() != Decision.DECISION_PERMIT) {
                    yield AttemptStatus.DENIED;
                }
                // A permit that waits for a second approver announces pending_approval; the decision after the
                // approval (never before it) announces authorized.
                boolean afterApproval = row.approvedAt != null && !occurredAt.isBefore(row.approvedAt.toInstant());
                yield row.approvalRole == null || afterApproval ? AttemptStatus.AUTHORIZED : AttemptStatus.PENDING_APPROVAL;
            }
            case UNLOCK_DISPATCHED -> AttemptStatus.DISPATCHED;
            case UNLOCK_ACKNOWLEDGED -> AttemptStatus.SUCCEEDED;
            case UNLOCK_FAILED -> AttemptStatus.FAILED;
            case UNLOCK_EXPIRED -> AttemptStatus.EXPIRED;
            default -> null;
        };
    }

    /**
     * The attempt as it was right after the event: the row itself when it is still in that state, else a copy
     * with that state, without what only later steps set (lock and command before dispatch, end reasons).
     */
    static ActionAttemptEntity asOf(ActionAttemptEntity row, AttemptStatus status, Instant occurredAt) {
        if (row.status == status) {
            return row;
        }
        ActionAttemptEntity earlier = new ActionAttemptEntity();
        earlier.id = row.id;
        earlier.organizationId = row.organizationId;
        earlier.requesterType = row.requesterType;
        earlier.requesterId = row.requesterId;
        earlier.clientId = row.clientId;
        earlier.onBehalfOf = row.onBehalfOf;
        earlier.idempotencyKey = row.idempotencyKey;
        earlier.doorId = row.doorId;
        earlier.action = row.action;
        earlier.method = row.method;
        earlier.status = status;
        earlier.createdAt = row.createdAt;
        earlier.updatedAt = OffsetDateTime.ofInstant(occurredAt, ZoneOffset.UTC);
        if (status == AttemptStatus.PENDING_APPROVAL) {
            earlier.approvalRole = row.approvalRole;
            earlier.approvalExpiresAt = row.approvalExpiresAt;
        }
        if (status == AttemptStatus.DISPATCHED) {
            earlier.lockId = row.lockId;
            earlier.commandId = row.commandId;
            earlier.expiresAt = row.expiresAt;
        }
        return earlier;
    }

    /** Lifecycle order: a watcher never sees an attempt go back. */
    static int rank(AttemptStatus status) {
        return switch (status) {
            case REQUESTED -> 0;
            case PENDING_APPROVAL -> 1;
            case AUTHORIZED -> 2;
            case DISPATCHED -> 3;
            default -> 4;
        };
    }

    /** One open watch. */
    static final class Watcher {

        /** Attempts an organization-wide watcher remembers (their last rank), beyond which the oldest are forgotten. */
        private static final int REMEMBERED = 4096;

        final Requester requester;
        private final UUID attemptId;
        private final int buffer;
        private final BooleanSupplier writable;
        private final MultiEmitter<? super ActionAttemptEntity> emitter;
        private final Context context;
        private final Map<UUID, Integer> seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<UUID, Integer> eldest) {
                return size() > REMEMBERED;
            }
        };
        private int behind;

        Watcher(Requester requester, UUID attemptId, int buffer, BooleanSupplier writable,
                MultiEmitter<? super ActionAttemptEntity> emitter, Context context) {
            this.requester = requester;
            this.attemptId = attemptId;
            this.buffer = buffer;
            this.writable = writable;
            this.emitter = emitter;
            this.context = context;
        }

        /** Same rule as {@link ActionAttempts#visibleTo}: own organization, own attempts unless an operator. */
        boolean sees(ActionAttemptEntity attempt) {
            return attempt.organizationId.equals(requester.organizationId())
                    && (requester.isOperator() || attempt.requesterId.equals(requester.subject()))
                    && (attemptId == null || attemptId.equals(attempt.id));
        }

        void offer(ActionAttemptEntity attempt) {
            if (context == null) {
                deliver(attempt);
            } else {
                context.runOnContext(ignored -> deliver(attempt));
            }
        }

        /** On the watcher's own context: one at a time. */
        private void deliver(ActionAttemptEntity attempt) {
            if (emitter.isCancelled()) {
                return;
            }
            Integer last = seen.get(attempt.id);
            int rank = rank(attempt.status);
            if (last != null && last >= rank) {
                return;
            }
            if (writable != null ? writable.getAsBoolean() : emitter.requested() > 0) {
                behind = 0;
            } else if (++behind > buffer) {
                emitter.fail(new SlowWatcherException(buffer));
                return;
            }
            seen.put(attempt.id, rank);
            emitter.emit(attempt);
            if (attemptId != null && attempt.status.isFinal()) {
                emitter.complete();
            }
        }
    }
}
