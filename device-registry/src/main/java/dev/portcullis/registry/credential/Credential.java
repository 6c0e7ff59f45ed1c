package dev.portcullis.registry.credential;

import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.lock.protocol.WeeklyWindow;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.DayOfWeek;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One stored credential: what the lock should check, and where it stands on that lock. */
public record Credential(UUID id, UUID organizationId, UUID doorId, UUID lockId, UUID unitId, String holderSubjectId,
        String label, String type, String usage, boolean duress, OffsetDateTime validFrom, OffsetDateTime validUntil,
        List<WeeklyWindow> windows, String timeZone, int maxUses, byte[] sealedSecret, CredentialState state,
        String stateReason, boolean everSealed, String syncId, int syncAttempts, String lastSyncError,
        OffsetDateTime confirmedAt, OffsetDateTime revokeRequestedAt, String revokeReason, OffsetDateTime revokedAt,
        String issuedBy, UUID turnoverId, OffsetDateTime createdAt, OffsetDateTime updatedAt) {

    static final String COLUMNS = "c.id, c.organization_id, c.door_id, c.lock_id, c.unit_id, c.holder_subject_id, c.label,"
            + " c.credential_type, c.usage, c.duress, c.valid_from, c.valid_until, c.windows, c.time_zone, c.max_uses,"
            + " c.sealed_secret, c.state, c.state_reason, c.ever_sealed, c.sync_id, c.sync_attempts, c.last_sync_error,"
            + " c.confirmed_at, c.revoke_requested_at, c.revoke_reason, c.revoked_at, c.issued_by, c.turnover_id,"
            + " c.created_at, c.updated_at";

    static Credential of(Row row) {
        return new Credential(row.getUUID("id"), row.getUUID("organization_id"), row.getUUID("door_id"), row.getUUID("lock_id"),
                row.getUUID("unit_id"), row.getString("holder_subject_id"), row.getString("label"), row.getString("credential_type"),
                row.getString("usage"), row.getBoolean("duress"), row.getOffsetDateTime("valid_from"),
                row.getOffsetDateTime("valid_until"), windowsOf((JsonArray) row.getValue("windows")), row.getString("time_zone"),
                row.getInteger("max_uses"), bytes(row, "sealed_secret"), CredentialState.of(row.getString("state")),
                row.getString("state_reason"), row.getBoolean("ever_sealed"), row.getString("sync_id"),
                row.getInteger("sync_attempts"), row.getString("last_sync_error"), row.getOffsetDateTime("confirmed_at"),
                row.getOffsetDateTime("revoke_requested_at"), row.getString("revoke_reason"), row.getOffsetDateTime("revoked_at"),
                row.getString("issued_by"), row.getUUID("turnover_id"), row.getOffsetDateTime("created_at"),
                row.getOffsetDateTime("updated_at"));
    }

    private static byte[] bytes(Row row, String column) {
        var buffer = row.getBuffer(column);
        return buffer == null ? null : buffer.getBytes();
    }

    /** Whether the lock should hold it (the platform's desired set). */
    public boolean desiredOnLock() {
        return state == CredentialState.SYNC_PENDING || state == CredentialState.ACTIVE;
    }

    /** What the lock checks: the secret is opened here, for one command, and never kept. */
    CredentialSpec toSpec(SecretSealing sealing) {
        byte[] secret = sealedSecret == null ? null : sealing.open(sealedSecret, id, organizationId);
        return new CredentialSpec(id, CredentialSpec.Kind.valueOf(type), secret, duress,
                validFrom == null ? null : validFrom.toInstant(), validUntil == null ? null : validUntil.toInstant(),
                windows, timeZone == null ? null : ZoneId.of(timeZone), maxUses);
    }

    static JsonArray windowsJson(List<WeeklyWindow> windows) {
        JsonArray json = new JsonArray();
        windows.forEach(window -> json.add(new JsonObject().put("day", window.day().getValue())
                .put("start", window.startMinute()).put("end", window.endMinute())));
        return json;
    }

    static List<WeeklyWindow> windowsOf(JsonArray json) {
        List<WeeklyWindow> windows = new ArrayList<>();
        if (json != null) {
            for (int i = 0; i < json.size(); i++) {
                JsonObject window = json.getJsonObject(i);
                windows.add(new WeeklyWindow(DayOfWeek.of(window.getInteger("day")), window.getInteger("start"), window.getInteger("end")));
            }
        }
        return List.copyOf(windows);
    }
}
