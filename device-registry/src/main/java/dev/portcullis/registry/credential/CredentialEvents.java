package dev.portcullis.registry.credential;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.portcullis.proto.events.v1.CredentialDriftDetected;
import dev.portcullis.proto.events.v1.CredentialIssued;
import dev.portcullis.proto.events.v1.CredentialStateChanged;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.registry.admin.Events;
import dev.portcullis.registry.admin.Events.Cause;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;

/**
 * Credential events on portcullis.registry.v1, written to the outbox in the transaction that makes the
 * change (keyed by lock, so one lock's credential events stay in order). No secret is ever carried.
 */
final class CredentialEvents {


    private CredentialEvents() {
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
        return Events.append(client, credential.organizationId(), credential.lockId().toString(), "credential_issued", cause, at,
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
        return Events.append(client, credential.organizationId(), credential.lockId().toString(), "credential_state_changed", cause, at,
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
        return Events.append(client, organization, lockId.toString(), "credential_drift_detected", Cause.REGISTRY, at,
                envelope -> envelope.setCredentialDriftDetected(drift));
    }

    static Timestamp timestamp(Instant at) {
        return Events.timestamp(at);
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
