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
import dev.portcullis.proto.events.v1.LockCredentialsReported;
import dev.portcullis.proto.gateway.v1.CredentialInventory;

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

    /**
     * Publishes the credential inventory the lock reported (ids and digest only) for device-registry to
     * reconcile; a report that is not a list of at most 10,000 UUIDs with a 32-byte digest is dropped.
     */
    public Uni<Void> publishInventory(LockSession session, CredentialInventory inventory) {
        if (inventory.getCredentialIdsCount() > 10_000 || inventory.getCredentialSetDigest().size() != 32
                || !inventory.getCredentialIdsList().stream().allMatch(LockEventPublisher::isUuid)) {
            return Uni.createFrom().voidItem();
        }
        UUID eventId = UUID.randomUUID();
        EventEnvelope envelope = EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(session.organizationId())
                .setOccurredAt(UnlockEvents.timestamp(Instant.now()))
                .setSource(UnlockEvents.SOURCE)
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_LOCK).setId(session.lock().lockId())
                        .setOrganizationId(session.organizationId()))
                .setLockCredentialsReported(LockCredentialsReported.newBuilder()
                        .setLockId(session.lock().lockId())
                        .setDoorId(session.doorId())
                        .addAllCredentialIds(inventory.getCredentialIdsList())
                        .setCredentialSetDigest(inventory.getCredentialSetDigest()))
                .build();
        return write(eventId, session, envelope);
    }

    private static boolean isUuid(String value) {
        try {
            return UUID.fromString(value).toString().equals(value.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
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
