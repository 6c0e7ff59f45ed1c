package dev.portcullis.registry.lock;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.model.LockModelViews.LockModel;
import dev.portcullis.registry.model.LockModelViews.Support;
import dev.portcullis.registry.model.SupportConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * Operators' view of their locks: door, status, serial number, the model with its capabilities and capacity,
 * the model's support status, and where the lock is in its latest firmware rollout. Registering a lock on a
 * door (it then waits for its one-time enrollment).
 */
@Path("/admin/v1/organizations/{org}/locks")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LockAdminResource {

    @RegisterForReflection
    public record Firmware(String installedVersion, String targetVersion, String rolloutState, UUID rolloutId) {
    }

    /** Why and when a retired lock left service, the door it hung on and (replaced) the lock that took its place. */
    @RegisterForReflection
    public record Retirement(String reason, OffsetDateTime retiredAt, UUID lastDoorId, UUID successorLockId) {
    }

    /** From the device shadow: is it connected, its battery, a tamper alarm not yet cleared, when it was last heard from. */
    @RegisterForReflection
    public record Health(boolean online, Integer batteryPercent, boolean tampered, OffsetDateTime lastSeenAt) {
    }

    @RegisterForReflection
    public record LockView(UUID id, UUID doorId, LockStatus status, String serialNumber, int keyEpoch, OffsetDateTime enrolledAt,
            LockModel model, Support support, Firmware firmware, Retirement retirement, Health health, String adminSubjectId) {
    }

    public record LockBody(UUID doorId, UUID lockModelId, String serialNumber) {
    }

    static final String SELECT = "SELECT l.id, l.door_id, l.status, l.serial_number, l.key_epoch, l.enrolled_at, l.firmware_version, l.admin_subject_id,"
            + " l.retired_reason, l.retired_at, l.last_door_id, l.successor_lock_id,"
            + " s.online, s.battery_percent, s.tampered, s.last_seen_at, "
            + dev.portcullis.registry.model.LockModelViews.LockModel.columns("m") + ", r.target_version, r.state, r.rollout_id"
            + " FROM lock l LEFT JOIN lock_model m ON m.id = l.lock_model_id LEFT JOIN lock_shadow s ON s.lock_id = l.id"
            + " LEFT JOIN LATERAL (SELECT rl.target_version, rl.state, rl.rollout_id FROM firmware_rollout_lock rl"
            + "   WHERE rl.lock_id = l.id ORDER BY rl.updated_at DESC LIMIT 1) r ON true";

    @Inject
    SecurityIdentity identity;

    @Inject
    Db db;

    @Inject
    Clock clock;

    @Inject
    SupportConfig support;

    LockView view(Row row) {
        LockModel model = LockModel.of(row, LocalDate.now(clock.withZone(ZoneOffset.UTC)), support.endingSoonDays());
        return new LockView(row.getUUID("id"), row.getUUID("door_id"), LockStatus.valueOf(row.getString("status")),
                row.getString("serial_number"), row.getInteger("key_epoch"), row.getOffsetDateTime("enrolled_at"), model,
                model == null ? null : model.support(),
                new Firmware(row.getString("firmware_version"), row.getString("target_version"), row.getString("state"),
                        row.getUUID("rollout_id")),
                row.getString("retired_reason") == null ? null : new Retirement(row.getString("retired_reason"),
                        row.getOffsetDateTime("retired_at"), row.getUUID("last_door_id"), row.getUUID("successor_lock_id")),
                new Health(Boolean.TRUE.equals(row.getBoolean("online")), row.getInteger("battery_percent"),
                        Boolean.TRUE.equals(row.getBoolean("tampered")), row.getOffsetDateTime("last_seen_at")),
                row.getString("admin_subject_id"));
    }

    @GET
    public Uni<List<LockView>> list(@PathParam("org") String org) {
        Operator op = Operator.of(identity, org);
        return db.list(SELECT + " WHERE l.organization_id = $1 ORDER BY l.serial_number NULLS LAST, l.id", this::view, op.organizationId());
    }

    @GET
    @Path("{id}")
    public Uni<LockView> get(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID lockId = Checks.pathId(id, "The lock");
        return db.one(SELECT + " WHERE l.organization_id = $1 AND l.id = $2", this::view, op.organizationId(), lockId).map(lock -> {
            if (lock == null) {
                throw ProblemException.notFound("The lock");
            }
            return lock;
        });
    }

    /** Registers a lock of a model on a door of the organization; it waits for enrollment. */
    @POST
    public Uni<Response> register(@PathParam("org") String org, LockBody body) {
        Operator op = Operator.of(identity, org);
        Checks.body(body);
        UUID doorId = Checks.required(body.doorId(), "doorId");
        UUID modelId = Checks.required(body.lockModelId(), "lockModelId");
        String serial = Checks.name(body.serialNumber(), "serialNumber", 128);
        UUID lockId = UUID.randomUUID();
        return db.inTransaction(sql -> Db.one(sql, "SELECT m.model FROM door d, lock_model m WHERE d.organization_id = $1 AND d.id = $2"
                + " AND m.organization_id = $1 AND m.id = $3", row -> row.getString(0), op.organizationId(), doorId, modelId)
                .flatMap(modelName -> {
                    if (modelName == null) {
                        throw Checks.unprocessable("unknown-reference", "doorId and lockModelId must name a door and a lock model of this organization");
                    }
                    return Db.exec(sql, "INSERT INTO lock (id, organization_id, door_id, model, status, lock_model_id, serial_number)"
                            + " VALUES ($1, $2, $3, $4, 'PENDING_ENROLLMENT', $5, $6)", lockId, op.organizationId(), doorId, modelName,
                            modelId, serial);
                }))
                .flatMap(x -> get(org, lockId.toString()))
                .map(view -> Response.status(201).entity(view).type(MediaType.APPLICATION_JSON).build());
    }
}
