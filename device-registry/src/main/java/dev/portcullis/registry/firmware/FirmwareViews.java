package dev.portcullis.registry.firmware;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

public final class FirmwareViews {

    private FirmwareViews() {
    }

    @RegisterForReflection
    public record Manifest(UUID id, UUID lockModelId, String firmwareVersion, String channel, String imageSha256, long imageSize,
            String minUpgradeFrom, String maxUpgradeFrom, String signingKeyId, OffsetDateTime releasedAt, String uploadedBy,
            OffsetDateTime uploadedAt, String signedManifest) {
        static final String COLUMNS = "id, lock_model_id, firmware_version, channel, image_sha256, image_size, min_upgrade_from,"
                + " max_upgrade_from, signing_key_id, released_at, uploaded_by, uploaded_at, signed_manifest";

        static Manifest of(Row row) {
            return new Manifest(row.getUUID("id"), row.getUUID("lock_model_id"), row.getString("firmware_version"), row.getString("channel"),
                    HexFormat.of().formatHex(row.getBuffer("image_sha256").getBytes()), row.getLong("image_size"),
                    row.getString("min_upgrade_from"), row.getString("max_upgrade_from"), row.getString("signing_key_id"),
                    row.getOffsetDateTime("released_at"), row.getString("uploaded_by"), row.getOffsetDateTime("uploaded_at"),
                    java.util.Base64.getEncoder().encodeToString(row.getBuffer("signed_manifest").getBytes()));
        }
    }

    @RegisterForReflection
    public record RolloutLock(UUID lockId, int stage, String targetVersion, RolloutState state, String detail, OffsetDateTime updatedAt) {
        static RolloutLock of(Row row) {
            return new RolloutLock(row.getUUID("lock_id"), row.getInteger("stage"), row.getString("target_version"),
                    RolloutState.valueOf(row.getString("state")), row.getString("detail"), row.getOffsetDateTime("updated_at"));
        }
    }

    @RegisterForReflection
    public record Rollout(UUID id, UUID manifestId, String createdBy, OffsetDateTime createdAt, Map<RolloutState, Integer> counts,
            List<RolloutLock> locks) {
    }

    /** A rollout's first stage, or (POST .../stages) its next one: the locks to update. */
    public record StageBody(UUID manifestId, List<UUID> lockIds) {
    }

    public record StateBody(String state, String detail) {
    }

    /** Why a lock cannot take part in a rollout. */
    @RegisterForReflection
    public record Ineligible(UUID lockId, String reason) {
    }
}
