package dev.portcullis.audit.chain;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.protobuf.Timestamp;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.events.v1.UnlockDecided;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * The indexed columns of an audit entry, derived from nothing but its envelope bytes, so a verifier
 * can re-derive them and detect a column edited to hide an entry (another organization, another door).
 *
 * <p>{@code eventType} is the envelope's payload field name ({@code unlock_requested},
 * {@code lock_event_reported}, ...; {@code unknown} for a payload this build does not know yet).
 * {@code outcome}: requested, permitted, denied, dispatched, succeeded, failed, expired, enrolled, or
 * for lock events the lock event type (tamper, duress, low_battery, ...). Enum values appear in lower
 * case without their prefix ({@code REASON_NO_GRANT} → {@code no_grant}).
 *
 * <p>Besides the columns of {@code audit_entry}: {@code credentialIds}, the credentials the entry is about
 * (table {@code audit_entry_credential}), and for {@code DoorChanged} the door's {@code propertyId} (table
 * {@code door_property}). {@link #sameAs} compares the columns of {@code audit_entry} only.
 */
public record EntryColumns(UUID eventId, UUID organizationId, Instant occurredAt, String eventType, String actorType,
        String actorId, String method, String doorId, String lockId, String actionAttemptId, String outcome,
        List<String> reasons, List<String> credentialIds, String propertyId) {

    public static final String UNKNOWN_TYPE = "unknown";

    public EntryColumns {
        reasons = List.copyOf(reasons);
        credentialIds = credentialIds == null ? List.of() : List.copyOf(credentialIds);
    }

    /** The columns of {@code audit_entry} alone (no credential index, no door property). */
    public EntryColumns(UUID eventId, UUID organizationId, Instant occurredAt, String eventType, String actorType,
            String actorId, String method, String doorId, String lockId, String actionAttemptId, String outcome,
            List<String> reasons) {
        this(eventId, organizationId, occurredAt, eventType, actorType, actorId, method, doorId, lockId, actionAttemptId,
                outcome, reasons, List.of(), null);
    }

    /** Parses the exact bytes received and derives the columns; throws if they cannot be an entry. */
    public static EntryColumns derive(byte[] envelopeBytes) throws InvalidEventException {
        if (envelopeBytes == null || envelopeBytes.length == 0) {
            throw new InvalidEventException("empty record: no EventEnvelope");
        }
        EventEnvelope envelope;
        try {
            envelope = EventEnvelope.parseFrom(envelopeBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new InvalidEventException("not an EventEnvelope: " + e.getMessage());
        }
        return derive(envelope);
    }

    public static EntryColumns derive(EventEnvelope envelope) throws InvalidEventException {
        UUID eventId = uuid(envelope.getEventId(), "event_id", true);
        UUID organizationId = uuid(envelope.getOrganizationId(), "organization_id", false);
        Builder row = new Builder();
        row.eventType = envelope.getPayloadCase() == EventEnvelope.PayloadCase.PAYLOAD_NOT_SET
                ? UNKNOWN_TYPE
                : envelope.getPayloadCase().name().toLowerCase(Locale.ROOT);
        if (envelope.hasActor()) {
            row.actorType = enumValue(envelope.getActor().getType(), ActorType.ACTOR_TYPE_UNSPECIFIED, "ACTOR_TYPE_");
            row.actorId = text(envelope.getActor().getId());
        }
        switch (envelope.getPayloadCase()) {
            case UNLOCK_REQUESTED -> {
                var p = envelope.getUnlockRequested();
                row.attempt(p.getActionAttemptId(), p.getDoorId(), "", "requested");
                row.method = enumValue(p.getMethod(), AccessMethod.ACCESS_METHOD_UNSPECIFIED, "ACCESS_METHOD_");
            }
            case UNLOCK_DECIDED -> {
                UnlockDecided p = envelope.getUnlockDecided();
                row.attempt(p.getActionAttemptId(), p.getDoorId(), "", decision(p.getDecision()));
                for (Reason reason : p.getReasonsList()) {
                    row.reason(enumValue(reason, Reason.REASON_UNSPECIFIED, "REASON_"));
                }
            }
            case UNLOCK_DISPATCHED -> {
                var p = envelope.getUnlockDispatched();
                row.attempt(p.getActionAttemptId(), p.getDoorId(), p.getLockId(), "dispatched");
            }
            case UNLOCK_ACKNOWLEDGED -> {
                var p = envelope.getUnlockAcknowledged();
                row.attempt(p.getActionAttemptId(), p.getDoorId(), p.getLockId(), "succeeded");
            }
            case UNLOCK_FAILED -> {
                var p = envelope.getUnlockFailed();
                row.attempt(p.getActionAttemptId(), p.getDoorId(), p.getLockId(), "failed");
                row.reason(text(p.getReason()));
            }
            case UNLOCK_EXPIRED -> {
                var p = envelope.getUnlockExpired();
                row.attempt(p.getActionAttemptId(), p.getDoorId(), p.getLockId(), "expired");
            }
            case LOCK_EVENT_REPORTED -> {
                LockEventReported p = envelope.getLockEventReported();
                row.attempt("", p.getDoorId(), p.getLockId(),
                        enumValue(p.getEvent().getType(), LockEventType.LOCK_EVENT_TYPE_UNSPECIFIED, "LOCK_EVENT_TYPE_"));
                row.reason(text(p.getEvent().getDetail()));
                row.credential(p.getEvent().getCredentialId());
            }
            case LOCK_CREDENTIALS_REPORTED -> {
                var p = envelope.getLockCredentialsReported();
                row.attempt("", p.getDoorId(), p.getLockId(), "reported");
                p.getCredentialIdsList().forEach(row::credential);
            }
            case DOOR_CHANGED -> {
                var p = envelope.getDoorChanged();
                row.attempt("", p.getDoorId(), "", text(p.getOperation()));
                row.propertyId = text(p.getPropertyId());
            }
            case CREDENTIAL_ISSUED -> {
                var p = envelope.getCredentialIssued();
                row.attempt("", p.getDoorId(), p.getLockId(), "issued");
                row.method = credentialMethod(p.getCredentialType());
                row.reason(text(p.getUsage()));
                row.credential(p.getCredentialId());
            }
            case CREDENTIAL_STATE_CHANGED -> {
                var p = envelope.getCredentialStateChanged();
                row.attempt("", p.getDoorId(), p.getLockId(), text(p.getState()));
                row.reason(text(p.getReason()));
                row.credential(p.getCredentialId());
            }
            case CREDENTIAL_DRIFT_DETECTED -> {
                var p = envelope.getCredentialDriftDetected();
                row.attempt("", p.getDoorId(), p.getLockId(), "drift");
                if (p.getContentDiffers()) {
                    row.reason("content_differs");
                }
                p.getUnexpectedCredentialIdsList().forEach(row::credential);
                p.getMissingCredentialIdsList().forEach(row::credential);
            }
            case LOCK_ENROLLED -> {
                var p = envelope.getLockEnrolled();
                row.attempt("", p.getDoorId(), p.getLockId(), "enrolled");
            }
            case LOCK_PRESENCE_CHANGED -> {
                var p = envelope.getLockPresenceChanged();
                row.attempt("", p.getDoorId(), p.getLockId(), p.getOnline() ? "online" : "offline");
            }
            case POLICY_CHANGED -> {
                var p = envelope.getPolicyChanged();
                row.outcome = text(p.getOperation());
                row.reason(text(p.getEntityType()));
            }
            case ALERT_ACKNOWLEDGED -> {
                var p = envelope.getAlertAcknowledged();
                row.attempt("", p.getDoorId(), p.getLockId(), "acknowledged");
                row.reason(text(p.getKind()));
            }
            case LOGIN_SUCCEEDED -> row.outcome = "succeeded";
            case LOGIN_FAILED -> {
                row.outcome = "failed";
                row.reason(text(envelope.getLoginFailed().getReason()));
            }
            case PAYLOAD_NOT_SET -> {
                // A payload newer than this build: recorded (its bytes are kept), not indexed.
            }
        }
        for (String indexed : new String[] {row.actorId, row.doorId, row.lockId, row.actionAttemptId, row.outcome,
                row.propertyId}) {
            storable(indexed, MAX_ID_LENGTH);
        }
        for (String credential : row.credentials) {
            storable(credential, MAX_ID_LENGTH);
        }
        for (String reason : row.reasons) {
            storable(reason, MAX_REASON_LENGTH);
        }
        return new EntryColumns(eventId, organizationId, instant(envelope), row.eventType, row.actorType, row.actorId,
                row.method, row.doorId, row.lockId, row.actionAttemptId, row.outcome, row.reasons,
                List.copyOf(row.credentials), row.propertyId);
    }

    /**
     * The access method a credential type stands for: {@code pin}, {@code card}, {@code biometric}
     * (fingerprint, palm vein, face); null for a type this build does not know.
     */
    static String credentialMethod(String credentialType) {
        return switch (credentialType == null ? "" : credentialType.toUpperCase(Locale.ROOT)) {
            case "PIN" -> "pin";
            case "CARD" -> "card";
            case "FINGERPRINT", "PALM_VEIN", "FACE", "BIOMETRIC" -> "biometric";
            default -> null;
        };
    }

    /** Identifiers longer than this cannot be indexed sensibly; no legitimate producer sends them. */
    static final int MAX_ID_LENGTH = 256;
    static final int MAX_REASON_LENGTH = 1024;

    /** A value PostgreSQL text cannot hold (NUL) or an absurd length would fail the write on every retry. */
    private static void storable(String value, int maxLength) throws InvalidEventException {
        if (value == null) {
            return;
        }
        if (value.length() > maxLength) {
            throw new InvalidEventException("a field is longer than " + maxLength + " characters");
        }
        if (value.indexOf(0) >= 0) {
            throw new InvalidEventException("a field contains a NUL character");
        }
    }

    /** True when the stored columns say exactly what the envelope says (timestamps at database precision). */
    public boolean sameAs(EntryColumns other) {
        return other != null && Objects.equals(eventId, other.eventId) && Objects.equals(organizationId, other.organizationId)
                && Objects.equals(micros(occurredAt), micros(other.occurredAt)) && Objects.equals(eventType, other.eventType)
                && Objects.equals(actorType, other.actorType) && Objects.equals(actorId, other.actorId)
                && Objects.equals(method, other.method) && Objects.equals(doorId, other.doorId)
                && Objects.equals(lockId, other.lockId) && Objects.equals(actionAttemptId, other.actionAttemptId)
                && Objects.equals(outcome, other.outcome) && reasons.equals(other.reasons);
    }

    /** The instant as PostgreSQL keeps it (microseconds). */
    public static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    private static String decision(Decision decision) {
        return switch (decision) {
            case DECISION_PERMIT -> "permitted";
            case DECISION_DENY -> "denied";
            default -> "undecided";
        };
    }

    private static Instant instant(EventEnvelope envelope) {
        if (!envelope.hasOccurredAt()) {
            return null;
        }
        Timestamp at = envelope.getOccurredAt();
        return micros(Instant.ofEpochSecond(at.getSeconds(), at.getNanos()));
    }

    private static UUID uuid(String value, String field, boolean required) throws InvalidEventException {
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new InvalidEventException(field + " is missing");
            }
            return null;
        }
        try {
            UUID parsed = UUID.fromString(value);
            if (!parsed.toString().equalsIgnoreCase(value)) {
                throw new IllegalArgumentException();
            }
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new InvalidEventException(field + " is not a UUID");
        }
    }

    private static String enumValue(ProtocolMessageEnum value, ProtocolMessageEnum unspecified, String prefix) {
        if (value == unspecified) {
            return null;
        }
        if (value instanceof Enum<?> constant && "UNRECOGNIZED".equals(constant.name())) {
            return "unrecognized";
        }
        String name = ((Enum<?>) value).name();
        return (name.startsWith(prefix) ? name.substring(prefix.length()) : name).toLowerCase(Locale.ROOT);
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    private static final class Builder {
        String eventType;
        String actorType;
        String actorId;
        String method;
        String doorId;
        String lockId;
        String actionAttemptId;
        String outcome;
        String propertyId;
        final List<String> reasons = new ArrayList<>();
        /** Distinct, in order of appearance. */
        final java.util.LinkedHashSet<String> credentials = new java.util.LinkedHashSet<>();

        void credential(String id) {
            if (id != null && !id.isEmpty()) {
                credentials.add(id);
            }
        }

        void attempt(String attemptId, String door, String lock, String result) {
            actionAttemptId = text(attemptId);
            doorId = text(door);
            lockId = text(lock);
            outcome = result;
        }

        void reason(String reason) {
            if (reason != null) {
                reasons.add(reason);
            }
        }
    }
}
