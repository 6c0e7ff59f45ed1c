package dev.portcullis.registry.credential;

import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A credential as operators see it: never its secret, except {@code pin} in the answer that issued it.
 * {@code pendingSeconds}: how long a change has waited for the lock's confirmation (null when none waits).
 */
@RegisterForReflection
public record CredentialView(UUID id, UUID doorId, UUID lockId, UUID unitId, String holderSubjectId, String label, String type,
        String usage, boolean duress, OffsetDateTime validFrom, OffsetDateTime validUntil, List<IssueRequest.Window> windows,
        String timeZone, Integer maxUses, String state, String stateReason, Long pendingSeconds, String lastSyncError,
        int syncAttempts, OffsetDateTime createdAt, OffsetDateTime confirmedAt, OffsetDateTime revokeRequestedAt,
        String revokeReason, OffsetDateTime revokedAt, String issuedBy, UUID turnoverId, String pin) {

    static CredentialView of(Credential c, Instant now, String pin) {
        Long pending = switch (c.state()) {
            case SYNC_PENDING -> Duration.between(c.updatedAt().toInstant(), now).toSeconds();
            case REVOKE_PENDING -> Duration.between(c.revokeRequestedAt().toInstant(), now).toSeconds();
            default -> null;
        };
        List<IssueRequest.Window> windows = c.windows().stream()
                .map(w -> new IssueRequest.Window(w.day().name(), time(w.startMinute()), time(w.endMinute()))).toList();
        return new CredentialView(c.id(), c.doorId(), c.lockId(), c.unitId(), c.holderSubjectId(), c.label(), c.type(), c.usage(),
                c.duress(), c.validFrom(), c.validUntil(), windows, c.timeZone(), c.maxUses() == 0 ? null : c.maxUses(),
                c.state().db(), c.stateReason(), pending == null ? null : Math.max(0, pending), c.lastSyncError(), c.syncAttempts(),
                c.createdAt(), c.confirmedAt(), c.revokeRequestedAt(), c.revokeReason(), c.revokedAt(), c.issuedBy(), c.turnoverId(), pin);
    }

    private static String time(int minute) {
        return minute == 1440 ? "24:00" : LocalTime.ofSecondOfDay(minute * 60L).toString();
    }
}
