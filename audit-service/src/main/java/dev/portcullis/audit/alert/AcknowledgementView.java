package dev.portcullis.audit.alert;

import java.time.Instant;

/** Who acknowledged an alert, when, their note, and the audit entry that records it. */
public record AcknowledgementView(String acknowledgedBy, Instant acknowledgedAt, String note, long auditSequence) {
}
