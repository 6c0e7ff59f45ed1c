package dev.portcullis.audit.query;

import dev.portcullis.audit.chain.AuditEntryEntity;
import dev.portcullis.audit.chain.EntryHash;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One entry as the REST API shows it. Hashes are lower-case hex. */
public record AuditEntryView(long sequence, UUID eventId, String type, Instant occurredAt, Instant recordedAt, Actor actor,
        String method, String doorId, String lockId, String actionAttemptId, String outcome, List<String> reasons,
        String entryHash, String previousHash) {

    public record Actor(String type, String id) {
    }

    public static AuditEntryView of(AuditEntryEntity entry) {
        return new AuditEntryView(entry.sequence, entry.eventId, entry.eventType,
                entry.occurredAt == null ? null : entry.occurredAt.toInstant(), entry.recordedAt.toInstant(),
                new Actor(entry.actorType, entry.actorId), entry.method, entry.doorId, entry.lockId, entry.actionAttemptId,
                entry.outcome, entry.reasons == null ? List.of() : List.of(entry.reasons), EntryHash.hex(entry.entryHash),
                EntryHash.hex(entry.previousHash));
    }
}
