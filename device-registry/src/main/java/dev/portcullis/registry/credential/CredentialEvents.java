package dev.portcullis.registry.credential;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.CredentialDriftDetected;
import dev.portcullis.proto.events.v1.CredentialIssued;
import dev.portcullis.proto.events.v1.CredentialStateChanged;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.registry.admin.Db;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.UUID;

/**
 * Credential events on portcullis.registry.v1, written to the outbox in the transaction that makes the
 * change (keyed by lock, so one lock's credential events stay in order). No secret is ever carried.
 */
final class CredentialEvents {

    static final String TOPIC = "portcullis.registry.v1";
    static final String SOURCE = "device-registry";

    private CredentialEvents() {
    }

    /** Who caused it: an operator (subject) or the registry itself (lock confirmations, reconciliation). */
    record Cause(ActorType type, String id) {
        static Cause operator(String subject) {
            return new Cause(ActorType.ACTOR_TYPE_USER, subject);
        }

        static final Cause REGISTRY = new Cause(ActorType.ACTOR_TYPE_SERVICE, SOURCE);
    }

    static Uni<Integer> issued(SqlClient client, Credential credential, Cause cause, Instant at) {
        CredentialIssued.Builder issued = CredentialIssued.newBuilder()
                .setCredentialId(credential.id().toString())
                .setDoorId(credential.doorId().toString())
                .setLockId(credential.lockId().toString())
                .setHolderSubjectId(nullToEmpty(credential.holderSubjectId()))
                .setCredentialType(credential.type())
                .setUsage(credential.duress() ? "duress" : credential.usage())
                .setUnitId(credential.unitId() == null ? "" : credential.unitId().toString());
        if (credential.validFrom() != null) {
            issued.setValidFrom(timestamp(credential.validFrom().toInstant()));
        }
        if (credential.validUntil() != null) {
            issued.setValidUntil(timestamp(credential.validUntil().toInstant()));
        }
        return append(client, credential.organizationId(), credential.lockId(), "credential_issued", cause, at,
                envelope -> envelope.setCredentialIssued(issued));
    }

    static Uni<Integer> stateChanged(SqlClient client, Credential credential, CredentialState previous, CredentialState state,
            String reason, byte[] digest, Cause cause, Instant at) {
        CredentialStateChanged.Builder changed = CredentialStateChanged.newBuilder()
                .setCredentialId(credential.id().toString())
                .setDoorId(credential.doorId().toString())
                .setLockId(credential.lockId().toString())
                .setState(state.db())
                .setPreviousState(previous.db())
                .setReason(nullToEmpty(reason));
        if (digest != null) {
            changed.setCredentialSetDigest(ByteString.copyFrom(digest));
        }
        return append(client, credential.organizationId(), credential.lockId(), "credential_state_changed", cause, at,
                envelope -> envelope.setCredentialStateChanged(changed));
    }

    static Uni<Integer> drift(SqlClient client, UUID organization, UUID lockId, UUID doorId, Collection<UUID> unexpected,
            Collection<UUID> missing, boolean contentDiffers, Instant at) {
        CredentialDriftDetected.Builder drift = CredentialDriftDetected.newBuilder()
                .setLockId(lockId.toString())
                .setDoorId(doorId.toString())
                .setContentDiffers(contentDiffers);
        unexpected.forEach(id -> drift.addUnexpectedCredentialIds(id.toString()));
        missing.forEach(id -> drift.addMissingCredentialIds(id.toString()));
        return append(client, organization, lockId, "credential_drift_detected", Cause.REGISTRY, at,
                envelope -> envelope.setCredentialDriftDetected(drift));
    }

    private static Uni<Integer> append(SqlClient client, UUID organization, UUID lockId, String type, Cause cause, Instant at,
            java.util.function.Consumer<EventEnvelope.Builder> payload) {
        UUID eventId = UUID.randomUUID();
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(organization.toString())
                .setOccurredAt(timestamp(at))
                .setActor(Actor.newBuilder().setType(cause.type()).setId(cause.id()).setOrganizationId(organization.toString()))
                .setSource(SOURCE);
        payload.accept(envelope);
        return Db.exec(client, "INSERT INTO outbox_event (event_id, topic, record_key, event_type, payload, created_at)"
                + " VALUES ($1, $2, $3, $4, $5, $6)", eventId, TOPIC, lockId.toString(), type,
                io.vertx.core.buffer.Buffer.buffer(envelope.build().toByteArray()),
                OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC));
    }

    static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
