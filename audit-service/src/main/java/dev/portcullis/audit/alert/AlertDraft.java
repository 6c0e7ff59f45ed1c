package dev.portcullis.audit.alert;

import java.time.Instant;
import java.util.UUID;

/**
 * An alert about to be raised. {@code sourceKey} names its source uniquely ({@code entry:<sequence>}
 * or {@code dead_letter:<id>}); (kind, sourceKey) is raised at most once.
 */
public record AlertDraft(AlertKind kind, UUID organizationId, String doorId, String lockId, String subjectId, String detail,
        String sourceKey, Long sourceSequence, UUID sourceEventId, Instant occurredAt) {

    public static String entrySource(long sequence) {
        return "entry:" + sequence;
    }

    public static String deadLetterSource(long id) {
        return "dead_letter:" + id;
    }
}
