package dev.portcullis.command.gateway;

import dev.portcullis.command.events.UnlockEvents;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.gateway.v1.LockEvent;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Publishes what a lock reports (tamper, battery, duress, rejected command, ...) through the outbox. */
@ApplicationScoped
public class LockEventPublisher {

    @Inject
    UnlockEvents events;

    public Uni<Void> publish(LockSession session, LockEvent event) {
        // The event id is derived from the lock's own id for the event: a resend after a reconnect is a no-op.
        UUID eventId = UUID.nameUUIDFromBytes((session.lock().lockId() + "/" + event.getEventId()).getBytes(StandardCharsets.UTF_8));
        EventEnvelope envelope = EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(session.organizationId())
                .setOccurredAt(event.hasOccurredAt() ? event.getOccurredAt() : UnlockEvents.timestamp(Instant.now()))
                .setSource(UnlockEvents.SOURCE)
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_LOCK).setId(session.lock().lockId())
                        .setOrganizationId(session.organizationId()))
                .setLockEventReported(LockEventReported.newBuilder()
                        .setLockId(session.lock().lockId())
                        .setDoorId(session.doorId())
                        .setEvent(event))
                .build();
        return write(eventId, session, envelope)
                .onFailure(LockEventPublisher::isDuplicate).recoverWithNull();
    }

    @WithTransaction
    Uni<Void> write(UUID eventId, LockSession session, EventEnvelope envelope) {
        return events.emitLockEvent(eventId, session.organizationId(), session.lock().lockId(), envelope);
    }

    private static boolean isDuplicate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
        }
        return false;
    }
}
