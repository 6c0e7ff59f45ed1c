package dev.portcullis.audit.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;

/**
 * An alert as the REST API and webhooks show it; {@code acknowledgement} is present once an operator
 * acknowledged it (never in a webhook: those are sent when the alert is raised).
 */
public record AlertView(UUID id, UUID organizationId, String kind, String severity, String doorId, String lockId,
        String subjectId, String detail, Long sourceSequence, UUID sourceEventId, Instant occurredAt, Instant raisedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) AcknowledgementView acknowledgement) {

    public static AlertView of(AlertEntity alert) {
        return of(alert, null);
    }

    public static AlertView of(AlertEntity alert, AcknowledgementView acknowledgement) {
        return new AlertView(alert.id, alert.organizationId, alert.kind, alert.severity, alert.doorId, alert.lockId,
                alert.subjectId, alert.detail, alert.sourceSequence, alert.sourceEventId,
                alert.occurredAt == null ? null : alert.occurredAt.toInstant(), alert.raisedAt.toInstant(), acknowledgement);
    }
}
