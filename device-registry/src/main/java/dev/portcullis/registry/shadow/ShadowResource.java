package dev.portcullis.registry.shadow;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/**
 * A lock's device shadow for its operators: what it last reported against what it should be (the firmware of its
 * rollout, the credential set the platform issued), and clearing a tamper alarm after inspection (audited).
 */
@Path("/admin/v1/organizations/{org}/locks/{id}/shadow")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ShadowResource {

    @RegisterForReflection
    public record Reported(Boolean online, OffsetDateTime lastSeenAt, String doorState, OffsetDateTime doorStateAt, Integer batteryPercent,
            OffsetDateTime batteryAt, boolean tampered, OffsetDateTime tamperedSince, String firmwareVersion, String credentialSetDigest,
            OffsetDateTime credentialSetReportedAt, OffsetDateTime lastUnlockedAt) {
    }

    @RegisterForReflection
    public record Desired(String firmwareVersion, String credentialSetDigest) {
    }

    /** Whether reported and desired agree; null when either side is unknown. */
    @RegisterForReflection
    public record InSync(Boolean firmware, Boolean credentialSet) {
    }

    @RegisterForReflection
    public record Shadow(UUID lockId, UUID doorId, String status, Reported reported, Desired desired, InSync inSync, OffsetDateTime updatedAt) {
    }

    public record TamperClearanceBody(String note) {
    }

    static final String SELECT = "SELECT l.id, l.door_id, l.status, l.firmware_version, s.online, s.last_seen_at, s.door_state, s.door_state_at,"
            + " s.battery_percent, s.battery_at, s.tampered, s.tampered_since, s.credential_set_digest, s.credential_set_reported_at,"
            + " s.last_unlocked_at, s.desired_credential_set_digest, s.updated_at, r.target_version"
            + " FROM lock l LEFT JOIN lock_shadow s ON s.lock_id = l.id"
            + " LEFT JOIN LATERAL (SELECT rl.target_version FROM firmware_rollout_lock rl WHERE rl.lock_id = l.id"
            + "   AND rl.state IN ('PENDING', 'IN_PROGRESS') ORDER BY rl.updated_at DESC LIMIT 1) r ON true"
            + " WHERE l.organization_id = $1 AND l.id = $2";

    @Inject
    SecurityIdentity identity;

    @Inject
    Db db;

    @Inject
    TamperClearance tamper;

    @GET
    public Uni<Shadow> get(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID lockId = Checks.pathId(id, "The lock");
        return db.one(SELECT, ShadowResource::shadow, op.organizationId(), lockId).map(shadow -> {
            if (shadow == null) {
                throw ProblemException.notFound("The lock");
            }
            return shadow;
        });
    }

    /** Clears the tamper flag (after someone inspected the lock); 409 when it is not tampered. */
    @POST
    @Path("tamper-clearance")
    public Uni<Shadow> clearTamper(@PathParam("org") String org, @PathParam("id") String id, TamperClearanceBody body) {
        Operator op = Operator.of(identity, org);
        UUID lockId = Checks.pathId(id, "The lock");
        String note = body == null || body.note() == null ? "" : Checks.name(body.note(), "note", 500);
        return tamper.clear(op, lockId, note).flatMap(x -> get(org, id));
    }

    static Shadow shadow(Row row) {
        String installed = row.getString("firmware_version");
        String target = row.getString("target_version");
        String desiredFirmware = target != null ? target : installed;
        String reportedDigest = base64(row.getBuffer("credential_set_digest"));
        String desiredDigest = base64(row.getBuffer("desired_credential_set_digest"));
        Reported reported = new Reported(row.getBoolean("online"), row.getOffsetDateTime("last_seen_at"), row.getString("door_state"),
                row.getOffsetDateTime("door_state_at"), row.getInteger("battery_percent"), row.getOffsetDateTime("battery_at"),
                Boolean.TRUE.equals(row.getBoolean("tampered")), row.getOffsetDateTime("tampered_since"), installed, reportedDigest,
                row.getOffsetDateTime("credential_set_reported_at"), row.getOffsetDateTime("last_unlocked_at"));
        InSync inSync = new InSync(installed == null || desiredFirmware == null ? null : installed.equals(desiredFirmware),
                reportedDigest == null || desiredDigest == null ? null : reportedDigest.equals(desiredDigest));
        return new Shadow(row.getUUID("id"), row.getUUID("door_id"), row.getString("status"), reported,
                new Desired(desiredFirmware, desiredDigest), inSync, row.getOffsetDateTime("updated_at"));
    }

    private static String base64(Buffer buffer) {
        return buffer == null ? null : Base64.getEncoder().encodeToString(buffer.getBytes());
    }

}
