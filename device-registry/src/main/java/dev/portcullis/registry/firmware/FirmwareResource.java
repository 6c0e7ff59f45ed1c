package dev.portcullis.registry.firmware;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.lock.protocol.FirmwareManifest;
import dev.portcullis.lock.protocol.FirmwareRejectedException;
import dev.portcullis.lock.protocol.FirmwareVersion;
import dev.portcullis.lock.protocol.PublicKeys;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.firmware.FirmwareViews.Ineligible;
import dev.portcullis.registry.firmware.FirmwareViews.Manifest;
import dev.portcullis.registry.firmware.FirmwareViews.Rollout;
import dev.portcullis.registry.firmware.FirmwareViews.RolloutLock;
import dev.portcullis.registry.firmware.FirmwareViews.StageBody;
import dev.portcullis.registry.firmware.FirmwareViews.StateBody;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.PublicKey;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Firmware: operators upload signed manifests (verified with the lock model's firmware signing key before they
 * are stored) and roll them out to locks in stages; each lock's state in the rollout is tracked.
 */
@Path("/admin/v1/organizations/{org}/firmware")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class FirmwareResource {

    static final int MAX_LOCKS_PER_STAGE = 1000;

    @Inject
    SecurityIdentity identity;

    @Inject
    Db db;

    private record ModelKey(String model, PublicKey key) {
    }

    /** {@code POST .../firmware/manifests?lockModelId=...}, body: the signed manifest's bytes (application/octet-stream). */
    @POST
    @Path("manifests")
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    public Uni<Response> upload(@PathParam("org") String org, @QueryParam("lockModelId") String lockModelId, byte[] body) {
        Operator op = Operator.of(identity, org);
        if (lockModelId == null) {
            throw Checks.invalid("lockModelId is required (query parameter)");
        }
        UUID modelId;
        try {
            modelId = UUID.fromString(lockModelId);
        } catch (IllegalArgumentException e) {
            throw Checks.invalid("lockModelId must be a UUID");
        }
        if (body == null || body.length == 0 || body.length > FirmwareManifest.MAX_SIGNED_BYTES) {
            throw Checks.invalid("The body must be a signed firmware manifest of 1 to " + FirmwareManifest.MAX_SIGNED_BYTES + " bytes");
        }
        return modelKey(op.organizationId(), modelId).flatMap(model -> {
            FirmwareManifest manifest;
            try {
                manifest = FirmwareManifest.parse(body, model.key());
            } catch (FirmwareRejectedException e) {
                throw rejected(e.reason().name(), e.getMessage());
            }
            if (!manifest.model().equals(model.model())) {
                throw rejected("WRONG_MODEL", "the manifest is for model '" + manifest.model() + "', not '" + model.model() + "'");
            }
            UUID id = UUID.randomUUID();
            return db.inTransaction(sql -> Db.one(sql, "INSERT INTO firmware_manifest (id, organization_id, lock_model_id, firmware_version,"
                    + " channel, image_sha256, image_size, min_upgrade_from, max_upgrade_from, signing_key_id, released_at, signed_manifest,"
                    + " uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING " + Manifest.COLUMNS,
                    Manifest::of, id, op.organizationId(), modelId, manifest.version().toString(), manifest.channel().name(),
                    io.vertx.core.buffer.Buffer.buffer(manifest.imageSha256()), manifest.imageSize(), manifest.minUpgradeFrom().map(Object::toString).orElse(null),
                    manifest.maxUpgradeFrom().map(Object::toString).orElse(null), manifest.signingKeyId(),
                    manifest.releasedAt().atOffset(ZoneOffset.UTC), io.vertx.core.buffer.Buffer.buffer(manifest.signed()), op.subject()));
        }).map(stored -> Response.status(201).type(MediaType.APPLICATION_JSON).entity(stored).build());
    }

    @GET
    @Path("manifests")
    public Uni<List<Manifest>> manifests(@PathParam("org") String org, @QueryParam("lockModelId") String lockModelId) {
        Operator op = Operator.of(identity, org);
        return db.list("SELECT " + Manifest.COLUMNS + " FROM firmware_manifest WHERE organization_id = $1"
                + " AND ($2::uuid IS NULL OR lock_model_id = $2) ORDER BY uploaded_at", Manifest::of, op.organizationId(),
                lockModelId == null ? null : Checks.pathId(lockModelId, "The lock model"));
    }

    @GET
    @Path("manifests/{id}")
    public Uni<Manifest> manifest(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID manifestId = Checks.pathId(id, "The firmware manifest");
        return db.one("SELECT " + Manifest.COLUMNS + " FROM firmware_manifest WHERE organization_id = $1 AND id = $2", Manifest::of,
                op.organizationId(), manifestId).map(m -> found(m, "The firmware manifest"));
    }

    /** Starts a rollout of a manifest with its first stage of locks. */
    @POST
    @Path("rollouts")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> startRollout(@PathParam("org") String org, StageBody body) {
        Operator op = Operator.of(identity, org);
        Checks.body(body);
        UUID manifestId = Checks.required(body.manifestId(), "manifestId");
        List<UUID> locks = lockIds(body.lockIds());
        UUID rolloutId = UUID.randomUUID();
        return db.inTransaction(sql -> Db.one(sql, "SELECT id FROM firmware_manifest WHERE organization_id = $1 AND id = $2",
                row -> row.getUUID(0), op.organizationId(), manifestId)
                .flatMap(found -> {
                    if (found == null) {
                        throw Checks.unprocessable("unknown-reference", "manifestId must name a firmware manifest of this organization");
                    }
                    return Db.exec(sql, "INSERT INTO firmware_rollout (id, organization_id, manifest_id, created_by) VALUES ($1, $2, $3, $4)",
                            rolloutId, op.organizationId(), manifestId, op.subject());
                })
                .flatMap(x -> addStage(sql, op.organizationId(), rolloutId, manifestId, 1, locks)))
                .flatMap(x -> rollout(org, rolloutId.toString()))
                .map(rollout -> Response.status(201).type(MediaType.APPLICATION_JSON).entity(rollout).build());
    }

    /** Adds the next stage of locks to a rollout. */
    @POST
    @Path("rollouts/{id}/stages")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Rollout> nextStage(@PathParam("org") String org, @PathParam("id") String id, StageBody body) {
        Operator op = Operator.of(identity, org);
        UUID rolloutId = Checks.pathId(id, "The rollout");
        Checks.body(body);
        List<UUID> locks = lockIds(body.lockIds());
        return db.inTransaction(sql -> Db.one(sql, "SELECT r.manifest_id, coalesce(max(rl.stage), 0) FROM firmware_rollout r"
                + " LEFT JOIN firmware_rollout_lock rl ON rl.rollout_id = r.id WHERE r.organization_id = $1 AND r.id = $2 GROUP BY r.manifest_id",
                row -> new Object[] {row.getUUID(0), row.getInteger(1)}, op.organizationId(), rolloutId)
                .flatMap(found -> {
                    if (found == null) {
                        throw ProblemException.notFound("The rollout");
                    }
                    return addStage(sql, op.organizationId(), rolloutId, (UUID) found[0], (Integer) found[1] + 1, locks);
                }))
                .flatMap(x -> rollout(org, id));
    }

    @GET
    @Path("rollouts/{id}")
    public Uni<Rollout> rollout(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        UUID rolloutId = Checks.pathId(id, "The rollout");
        return db.one("SELECT id, manifest_id, created_by, created_at FROM firmware_rollout WHERE organization_id = $1 AND id = $2",
                row -> new Rollout(row.getUUID(0), row.getUUID(1), row.getString(2), row.getOffsetDateTime(3), null, null),
                op.organizationId(), rolloutId)
                .flatMap(rollout -> {
                    found(rollout, "The rollout");
                    return db.list("SELECT lock_id, stage, target_version, state, detail, updated_at FROM firmware_rollout_lock"
                            + " WHERE rollout_id = $1 ORDER BY stage, lock_id", RolloutLock::of, rolloutId)
                            .map(locks -> {
                                Map<RolloutState, Integer> counts = new EnumMap<>(RolloutState.class);
                                for (RolloutState state : RolloutState.values()) {
                                    counts.put(state, (int) locks.stream().filter(l -> l.state() == state).count());
                                }
                                return new Rollout(rollout.id(), rollout.manifestId(), rollout.createdBy(), rollout.createdAt(), counts, locks);
                            });
                });
    }

    /**
     * Records a lock's progress in the rollout (PENDING → IN_PROGRESS → SUCCEEDED or FAILED; FAILED → PENDING to
     * retry). A success records the target version as the lock's firmware.
     */
    @PUT
    @Path("rollouts/{id}/locks/{lockId}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<RolloutLock> updateLock(@PathParam("org") String org, @PathParam("id") String id, @PathParam("lockId") String lockId,
            StateBody body) {
        Operator op = Operator.of(identity, org);
        UUID rolloutId = Checks.pathId(id, "The rollout");
        UUID lock = Checks.pathId(lockId, "The lock");
        Checks.body(body);
        RolloutState next;
        try {
            next = RolloutState.valueOf(String.valueOf(body.state()));
        } catch (IllegalArgumentException e) {
            throw Checks.invalid("state must be one of " + List.of(RolloutState.values()));
        }
        String detail = body.detail() == null ? null : Checks.name(body.detail(), "detail", 500);
        return db.inTransaction(sql -> Db.one(sql, "SELECT rl.lock_id, rl.stage, rl.target_version, rl.state, rl.detail, rl.updated_at"
                + " FROM firmware_rollout_lock rl JOIN firmware_rollout r ON r.id = rl.rollout_id"
                + " WHERE r.organization_id = $1 AND rl.rollout_id = $2 AND rl.lock_id = $3 FOR UPDATE OF rl", RolloutLock::of,
                op.organizationId(), rolloutId, lock)
                .flatMap(current -> {
                    found(current, "The lock in this rollout");
                    if (!current.state().canMoveTo(next)) {
                        throw ProblemException.conflict("invalid-transition", "A lock " + current.state() + " in a rollout cannot become " + next);
                    }
                    Uni<Integer> installed = next == RolloutState.SUCCEEDED
                            ? Db.exec(sql, "UPDATE lock SET firmware_version = $3 WHERE organization_id = $1 AND id = $2", op.organizationId(), lock,
                                    current.targetVersion())
                            : Uni.createFrom().item(0);
                    return installed.flatMap(x -> Db.one(sql, "UPDATE firmware_rollout_lock SET state = $3, detail = $4, updated_at = now()"
                            + " WHERE rollout_id = $1 AND lock_id = $2 RETURNING lock_id, stage, target_version, state, detail, updated_at",
                            RolloutLock::of, rolloutId, lock, next.name(), detail));
                }));
    }

    /**
     * Adds locks to the rollout as PENDING after checking each one: of this organization, enrolled, of the manifest's
     * model, not in another unfinished rollout, and running a version the manifest may upgrade from (the same check
     * the lock makes). Any ineligible lock refuses the whole stage with a 422 listing every one and why.
     */
    private Uni<Void> addStage(SqlClient sql, UUID org, UUID rolloutId, UUID manifestId, int stage, List<UUID> lockIds) {
        return Db.one(sql, "SELECT f.signed_manifest, f.firmware_version, f.lock_model_id, m.model, m.firmware_signing_key FROM firmware_manifest f"
                + " JOIN lock_model m ON m.id = f.lock_model_id WHERE f.id = $1", row -> row, manifestId)
                .flatMap(manifest -> Db.list(sql, "SELECT l.id, l.status, l.lock_model_id, l.firmware_version,"
                        + " EXISTS (SELECT 1 FROM firmware_rollout_lock rl WHERE rl.lock_id = l.id AND rl.state IN ('PENDING', 'IN_PROGRESS')) AS busy"
                        + " FROM lock l WHERE l.organization_id = $1 AND l.id = ANY($2)", row -> row, org, lockIds.toArray(UUID[]::new))
                        .flatMap(rows -> {
                            byte[] signed = manifest.getBuffer(0).getBytes();
                            String target = manifest.getString(1);
                            UUID modelId = manifest.getUUID(2);
                            String model = manifest.getString(3);
                            PublicKey key = PublicKeys.ed25519(manifest.getBuffer(4).getBytes());
                            List<Ineligible> ineligible = new ArrayList<>();
                            java.util.Set<UUID> seen = new java.util.HashSet<>();
                            for (var row : rows) {
                                UUID lock = row.getUUID("id");
                                seen.add(lock);
                                String why = null;
                                String installed = row.getString("firmware_version");
                                if (!"ENROLLED".equals(row.getString("status"))) {
                                    why = "the lock is " + row.getString("status");
                                } else if (!modelId.equals(row.getUUID("lock_model_id"))) {
                                    why = "the lock is of another model";
                                } else if (row.getBoolean("busy")) {
                                    why = "the lock is in an unfinished rollout";
                                } else if (!FirmwareVersion.isValid(installed)) {
                                    why = "the lock's installed firmware version is unknown or not a dotted numeric version";
                                } else {
                                    try {
                                        FirmwareManifest.verify(signed, key, model, installed);
                                    } catch (FirmwareRejectedException e) {
                                        why = "the lock would refuse the manifest: " + e.getMessage();
                                    }
                                }
                                if (why != null) {
                                    ineligible.add(new Ineligible(lock, why));
                                }
                            }
                            lockIds.stream().filter(lock -> !seen.contains(lock))
                                    .forEach(lock -> ineligible.add(new Ineligible(lock, "no such lock in this organization")));
                            if (!ineligible.isEmpty()) {
                                throw Checks.unprocessable("ineligible-locks", ineligible.size() + " of the locks cannot take this firmware")
                                        .with("locks", ineligible);
                            }
                            Uni<Integer> chain = Uni.createFrom().item(0);
                            for (UUID lock : lockIds) {
                                chain = chain.flatMap(x -> Db.exec(sql, "INSERT INTO firmware_rollout_lock (rollout_id, lock_id, stage, target_version, state)"
                                        + " VALUES ($1, $2, $3, $4, 'PENDING')", rolloutId, lock, stage, target));
                            }
                            return chain.replaceWithVoid();
                        }));
    }

    private Uni<ModelKey> modelKey(UUID org, UUID modelId) {
        return db.one("SELECT model, firmware_signing_key FROM lock_model WHERE organization_id = $1 AND id = $2",
                row -> new Object[] {row.getString(0), row.getBuffer(1)}, org, modelId).map(row -> {
                    if (row == null) {
                        throw Checks.unprocessable("unknown-reference", "lockModelId must name a lock model of this organization");
                    }
                    if (row[1] == null) {
                        throw Checks.unprocessable("no-firmware-key", "The lock model has no firmware signing key; set firmwareSigningKey first");
                    }
                    return new ModelKey((String) row[0], PublicKeys.ed25519(((Buffer) row[1]).getBytes()));
                });
    }

    private static List<UUID> lockIds(List<UUID> ids) {
        if (ids == null || ids.isEmpty()) {
            throw Checks.invalid("lockIds must list at least one lock");
        }
        if (ids.size() > MAX_LOCKS_PER_STAGE || ids.contains(null)) {
            throw Checks.invalid("lockIds must list 1 to " + MAX_LOCKS_PER_STAGE + " lock ids");
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }

    static ProblemException rejected(String reason, String detail) {
        return Checks.unprocessable("firmware-manifest-rejected", "The firmware manifest was refused: " + detail).with("reason", reason);
    }

    private static <T> T found(T value, String what) {
        if (value == null) {
            throw ProblemException.notFound(what);
        }
        return value;
    }
}
