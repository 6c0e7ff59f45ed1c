package dev.portcullis.audit.export;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** One entry of an export: what it stores, the hashed fields first-class (envelope in base64). */
public record ExportedEntry(String type, long sequence, UUID eventId, UUID organizationId, String eventType,
        OffsetDateTime occurredAt, OffsetDateTime recordedAt, String actorType, String actorId, String method, String doorId,
        String lockId, String actionAttemptId, String outcome, List<String> reasons, String previousHash, String entryHash,
        String envelope, Inclusion inclusion) {

    /** The entry's leaf in the tree of the export's signed head. */
    public record Inclusion(long leafIndex, long treeSize, List<String> path) {
    }

    ExportedEntry withInclusion(Inclusion proof) {
        return new ExportedEntry(type, sequence, eventId, organizationId, eventType, occurredAt, recordedAt, actorType, actorId,
                method, doorId, lockId, actionAttemptId, outcome, reasons, previousHash, entryHash, envelope, proof);
    }
}
