package dev.portcullis.audit.query;

import java.util.List;

/** A page of entries, newest first; {@code nextCursor} is the {@code after} for the next page, null on the last. */
public record AuditPage(List<AuditEntryView> entries, Long nextCursor) {
}
