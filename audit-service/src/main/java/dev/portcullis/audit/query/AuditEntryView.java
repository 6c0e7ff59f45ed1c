package dev.portcullis.audit.query;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.audit.chain.AuditEntryEntity;
import dev.portcullis.audit.chain.EntryColumns;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.audit.chain.InvalidEventException;
import dev.portcullis.proto.common.v1.Authentication;
import dev.portcullis.proto.events.v1.EventEnvelope;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One entry as the REST API shows it: who ({@code actor}), how ({@code method}, {@code credential}),
 * which door or lock, when, and what policy decided ({@code outcome}, {@code reasons}, {@code policy}).
 * Hashes are lower-case hex. {@code credential}, {@code onBehalfOf} and {@code policy} are read from
 * the recorded envelope (they are not indexed columns).
 *
 * <p>{@code credentialIds}: the credentials the entry is about (a lock event's credential, an issued or
 * changed credential, a lock's inventory, a drift's ids); {@code credentialId} when it is exactly one.
 * {@code method}: the entry's own (unlock requests, issued credentials), else, for an entry about one
 * credential, the method of that credential as issued ({@code pin}, {@code card}, {@code biometric}).
 */
public record AuditEntryView(long sequence, UUID eventId, String type, Instant occurredAt, Instant recordedAt, Actor actor,
        String method, Credential credential, String credentialId, List<String> credentialIds, String onBehalfOf, String doorId,
        String lockId, String actionAttemptId, String outcome, List<String> reasons, Policy policy, String entryHash,
        String previousHash) {

    public record Actor(String type, String id) {
    }

    /** How the requester authenticated: the OAuth client, RFC 8176 methods, assurance level, proof of possession. */
    public record Credential(String clientId, List<String> amr, String acr, boolean senderConstrained) {
    }

    /** The policy decision: the policy version that decided, the decision's id, the grant that matched. */
    public record Policy(String version, String decisionId, String grantId) {
    }

    /** The credential ids an entry is about, from its envelope (empty when it cannot say). */
    public static List<String> credentialIds(AuditEntryEntity entry) {
        try {
            return EntryColumns.derive(entry.envelope).credentialIds();
        } catch (InvalidEventException e) {
            return List.of();
        }
    }

    /** {@code methodByCredential}: the method each credential was issued with, where known. */
    public static AuditEntryView of(AuditEntryEntity entry, Map<String, String> methodByCredential) {
        List<String> credentialIds = credentialIds(entry);
        String credentialId = credentialIds.size() == 1 ? credentialIds.get(0) : null;
        String method = entry.method != null ? entry.method : credentialId == null ? null : methodByCredential.get(credentialId);
        Credential credential = null;
        String onBehalfOf = null;
        Policy policy = null;
        try {
            EventEnvelope envelope = EventEnvelope.parseFrom(entry.envelope);
            if (envelope.hasUnlockRequested()) {
                var requested = envelope.getUnlockRequested();
                if (requested.hasAuthentication()) {
                    Authentication auth = requested.getAuthentication();
                    credential = new Credential(text(auth.getClientId()), List.copyOf(auth.getAmrList()), text(auth.getAcr()),
                            auth.getSenderConstrained());
                }
                onBehalfOf = text(requested.getOnBehalfOf());
            } else if (envelope.hasUnlockDecided()) {
                var decided = envelope.getUnlockDecided();
                policy = new Policy(text(decided.getPolicyVersion()), text(decided.getDecisionId()), text(decided.getGrantId()));
            }
        } catch (InvalidProtocolBufferException e) {
            // Every recorded envelope parsed when it was recorded; the verifier reports a changed one.
        }
        return new AuditEntryView(entry.sequence, entry.eventId, entry.eventType,
                entry.occurredAt == null ? null : entry.occurredAt.toInstant(), entry.recordedAt.toInstant(),
                new Actor(entry.actorType, entry.actorId), method, credential, credentialId, credentialIds, onBehalfOf,
                entry.doorId, entry.lockId, entry.actionAttemptId, entry.outcome,
                entry.reasons == null ? List.of() : List.of(entry.reasons), policy,
                EntryHash.hex(entry.entryHash), EntryHash.hex(entry.previousHash));
    }

    private static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
