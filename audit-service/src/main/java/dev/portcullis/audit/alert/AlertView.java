package dev.portcullis.audit.alert;

import java.time.Instant;
import java.util.UUID;

/** An alert as the REST API and webhooks show it. */
public record AlertView(UUID id, UUID organizationId, String kind, String severity, String doorId, String lockId,
        String subjectId, String detail, Long sourceSequence, UUID sourceEventId, Instant occurredAt, Instant raisedAt) {

    public static AlertView of(AlertEntity alert) {
        return new AlertView(alert.id, alert.organizationId, alert.kind, alert.severity, alert.doorId, alert.lockId,
                alert.subjectId, alert.detail, alert.sourceSequence, alert.sourceEventId,
                alert.occurredAt == null ? null : alert.occurredAt.toInstant(), alert.raisedAt.toInstant());
    }
}
