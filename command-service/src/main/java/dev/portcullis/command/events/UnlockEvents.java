package dev.portcullis.command.events;

import com.google.protobuf.Timestamp;
import dev.portcullis.command.unlock.ActionAttemptEntity;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockPresenceChanged;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Consumer;

/** Writes the unlock path's events to the outbox, inside the caller's transaction. */
@ApplicationScoped
public class UnlockEvents {

    public static final String UNLOCK_TOPIC = "portcullis.unlock.v1";
    public static final String LOCK_TOPIC = "portcullis.lock.v1";
    public static final String SOURCE = "command-service";

    @Inject
    Outbox outbox;

    /** One event about an attempt, keyed by the attempt so its events stay in order. */
    public Uni<Void> emit(ActionAttemptEntity attempt, String type, Consumer<EventEnvelope.Builder> payload) {
        UUID eventId = UUID.randomUUID();
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(attempt.organizationId.toString())
                .setOccurredAt(timestamp(Instant.now()))
                .setSource(SOURCE)
                .setActor(Actor.newBuilder()
                        .setType(ActorType.valueOf(attempt.requesterType))
                        .setId(attempt.requesterId)
                        .setOrganizationId(attempt.organizationId.toString())
                        .setClientId(attempt.clientId == null ? "" : attempt.clientId));
        payload.accept(envelope);
        return outbox.append(UNLOCK_TOPIC, attempt.id.toString(), eventId, type, envelope.build()).replaceWithVoid();
    }

    /** An event a lock reported; the id is derived from the lock's own event id, so a resend is a no-op. */
    public Uni<Void> emitLockEvent(UUID eventId, String organizationId, String lockId, EventEnvelope envelope) {
        return outbox.append(LOCK_TOPIC, lockId, eventId, "lock_event_reported", envelope).replaceWithVoid();
    }

    /** A lock came online or went offline on this instance's gateway. */
    public Uni<Void> emitPresence(String organizationId, String lockId, String doorId, boolean online, Instant at) {
        UUID eventId = UUID.randomUUID();
        EventEnvelope envelope = EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(organizationId)
                .setOccurredAt(timestamp(at))
                .setSource(SOURCE)
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_LOCK).setId(lockId).setOrganizationId(organizationId))
                .setLockPresenceChanged(LockPresenceChanged.newBuilder().setLockId(lockId).setDoorId(doorId).setOnline(online))
                .build();
        return outbox.append(LOCK_TOPIC, lockId, eventId, online ? "lock_online" : "lock_offline", envelope).replaceWithVoid();
    }

    public static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
