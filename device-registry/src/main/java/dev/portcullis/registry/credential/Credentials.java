package dev.portcullis.registry.credential;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.admin.Events.Cause;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Issuing and revoking credentials (docs/registry.md, "Credentials"). Issuing checks the lock's model
 * (credential types, capacity) under the lock's row lock, so two concurrent issues cannot overfill it;
 * revoking is two-phase: revoke_pending until the lock signs for the removal.
 */
@ApplicationScoped
public class Credentials {

    /** A credential as issued, with the PIN shown this once (null otherwise). */
    public record Issued(Credential credential, String pin) {
    }

    @Inject
    Db db;

    @Inject
    SecretSealing sealing;

    @Inject
    CredentialConfig config;

    @Inject
    CredentialSync sync;

    @Inject
    Clock clock;

    private record Target(UUID doorId, UUID unitId, String timeZone, UUID lockId, String lockStatus, String[] credentialTypes,
            Integer maxUsers, Integer maxCredentials, String model) {
    }

    public Uni<Issued> issue(Operator operator, UUID doorId, IssueRequest request) {
        return issue(operator, doorId, request, null);
    }

    /**
     * Issues a guest code: a temporary PIN the tenant {@code tenant} gives a guest, through the same path as an
     * operator's credential (model, capacity, sealing, sync, events; the tenant is the event's actor). Whether the
     * tenant may give one is {@link GuestCodes}' question, asked before this.
     */
    Uni<Issued> issueGuestCode(String tenant, UUID organizationId, UUID doorId, IssueRequest request) {
        return issue(new Operator(tenant, organizationId), doorId, request, tenant);
    }

    private Uni<Issued> issue(Operator operator, UUID doorId, IssueRequest request, String guestOf) {
        Instant now = clock.instant();
        return issue(operator, doorId, target -> {
            IssueRequest.Checked checked = Checks.body(request).check(now, target.timeZone(), sealing, config.pinLength());
            if (target.credentialTypes() != null && !Arrays.asList(target.credentialTypes()).contains(checked.type())) {
                throw Checks.unprocessable("unsupported-credential-type", "The lock's model (" + target.model()
                        + ") does not support " + checked.type() + " credentials; it supports "
                        + String.join(", ", target.credentialTypes()));
            }
            return guestOf == null ? checked : checked.asGuestCodeOf(guestOf);
        }, (tx, target) -> Uni.createFrom().voidItem());
    }

    /**
     * Gives the lock on this door a new offline-code secret (32 random bytes, sealed like a PIN); the previous
     * one, if any, is revoked in the same transaction (codes derived from it stop once the lock confirms).
     * Offline codes are typed at the keypad: the lock's model must support PINs.
     */
    public Uni<Issued> issueOfflineSecret(Operator operator, UUID doorId) {
        return issue(operator, doorId, target -> {
            if (target.credentialTypes() != null && !Arrays.asList(target.credentialTypes()).contains("PIN")) {
                throw Checks.unprocessable("unsupported-credential-type", "The lock's model (" + target.model()
                        + ") has no keypad (PIN) to type offline codes at");
            }
            return new IssueRequest.Checked("OFFLINE_CODES", "permanent", null, "offline codes", sealing.randomSecret(32), false, false,
                    null, null, java.util.List.of(), null, 0, null, null);
        }, (tx, target) -> Db.list(tx, "SELECT id FROM credential WHERE lock_id = $1 AND credential_type = 'OFFLINE_CODES'"
                + " AND state IN ('sync_pending', 'active')", row -> row.getUUID(0), target.lockId())
                .flatMap(previous -> io.smallrye.mutiny.Multi.createFrom().iterable(previous)
                        .onItem().transformToUniAndConcatenate(id -> revoke(tx, operator.organizationId(), id, "rotated",
                                Cause.operator(operator.subject()), null, clock.instant(),
                                OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC)))
                        .collect().asList().replaceWithVoid()));
    }

    private Uni<Issued> issue(Operator operator, UUID doorId, java.util.function.Function<Target, IssueRequest.Checked> check,
            java.util.function.BiFunction<SqlClient, Target, Uni<Void>> before) {
        Instant now = clock.instant();
        return db.inTransaction(tx -> Db.one(tx, "SELECT d.id, d.unit_id, p.time_zone, l.id AS lock_id, l.status,"
                + " m.credential_types, m.max_users, m.max_credentials, m.manufacturer || ' ' || m.model AS model"
                + " FROM door d JOIN property p ON p.id = d.property_id"
                + " LEFT JOIN lock l ON l.door_id = d.id AND l.status <> 'RETIRED'"
                + " LEFT JOIN lock_model m ON m.id = l.lock_model_id"
                + " WHERE d.id = $1 AND d.organization_id = $2 FOR UPDATE OF d",
                row -> new Target(row.getUUID("id"), row.getUUID("unit_id"), row.getString("time_zone"), row.getUUID("lock_id"),
                        row.getString("status"), row.getArrayOfStrings("credential_types"), row.getInteger("max_users"),
                        row.getInteger("max_credentials"), row.getString("model")),
                doorId, operator.organizationId())
                .flatMap(target -> {
                    if (target == null) {
                        throw ProblemException.notFound("The door");
                    }
                    if (target.lockId() == null) {
                        throw ProblemException.conflict("no-lock", "No lock is registered on this door");
                    }
                    IssueRequest.Checked checked = check.apply(target);
                    UUID unit = checked.unitId() != null ? checked.unitId() : target.unitId();
                    return checkUnit(tx, operator.organizationId(), checked.unitId())
                            .flatMap(ignored -> before.apply(tx, target))
                            .flatMap(ignored -> checkCapacity(tx, target, checked.holderSubjectId()))
                            .flatMap(ignored -> insert(tx, operator, target, checked, unit, now));
                }))
                .invoke(issued -> sync.soon(issued.credential().lockId()));
    }

    private static Uni<Void> checkUnit(SqlClient tx, UUID organization, UUID unit) {
        if (unit == null) {
            return Uni.createFrom().voidItem();
        }
        return Db.one(tx, "SELECT id FROM unit WHERE id = $1 AND organization_id = $2", row -> row.getUUID(0), unit, organization)
                .invoke(found -> {
                    if (found == null) {
                        throw Checks.unprocessable("unknown-unit", "unitId names no unit of this organization");
                    }
                }).replaceWithVoid();
    }

    /** Counts what the lock holds or may still hold (everything not confirmed revoked) against its model. */
    private static Uni<Void> checkCapacity(SqlClient tx, Target target, String holder) {
        if (target.maxCredentials() == null) {
            return Uni.createFrom().voidItem();
        }
        return Db.one(tx, "SELECT count(*) AS credentials, count(DISTINCT holder_subject_id) AS holders,"
                + " coalesce(bool_or(holder_subject_id = $2), false) AS known_holder"
                + " FROM credential WHERE lock_id = $1 AND state <> 'revoked'",
                row -> new long[] {row.getLong("credentials"), row.getLong("holders"), row.getBoolean("known_holder") ? 1 : 0},
                target.lockId(), holder)
                .invoke(counts -> {
                    if (counts[0] >= target.maxCredentials()) {
                        throw ProblemException.conflict("capacity-exceeded", "The lock on this door holds " + counts[0] + " of the "
                                + target.maxCredentials() + " credentials its model (" + target.model() + ") allows,"
                                + " counting revocations it has not confirmed yet; revoke one first");
                    }
                    if (holder != null && counts[2] == 0 && counts[1] >= target.maxUsers()) {
                        throw ProblemException.conflict("capacity-exceeded", "The lock on this door has credentials of " + counts[1]
                                + " of the " + target.maxUsers() + " users its model (" + target.model() + ") allows");
                    }
                }).replaceWithVoid();
    }

    private Uni<Issued> insert(SqlClient tx, Operator operator, Target target, IssueRequest.Checked checked, UUID unit, Instant now) {
        UUID id = UUID.randomUUID();
        Buffer sealed = checked.secret() == null ? null : Buffer.buffer(sealing.seal(checked.secret(), id, operator.organizationId()));
        Buffer lookup = checked.secret() == null ? null : Buffer.buffer(sealing.lookup(target.lockId(), checked.secret()));
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return Db.one(tx, "INSERT INTO credential (id, organization_id, door_id, lock_id, unit_id, holder_subject_id, label,"
                + " credential_type, usage, duress, valid_from, valid_until, windows, time_zone, max_uses, sealed_secret,"
                + " sealing_key_id, secret_lookup, state, issued_by, created_at, updated_at, next_sync_at, guest_of)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 'sync_pending', $19,"
                + " $20, $20, $20, $21)"
                + " ON CONFLICT (lock_id, secret_lookup) WHERE state <> 'revoked' DO NOTHING"
                + " RETURNING " + Credential.COLUMNS.replace("c.", ""),
                Credential::of,
                id, operator.organizationId(), target.doorId(), target.lockId(), unit, checked.holderSubjectId(), checked.label(),
                checked.type(), checked.usage(), checked.duress(), checked.validFrom(), checked.validUntil(),
                Credential.windowsJson(checked.windows()), checked.timeZone(), checked.maxUses(), sealed,
                sealed == null ? null : sealing.keyId(), lookup, operator.subject(), at, checked.guestOf())
                .flatMap(credential -> {
                    if (credential == null) {
                        throw ProblemException.conflict("secret-in-use", checked.generatedPin()
                                ? "A generated PIN collided with one the lock already holds; try again"
                                : "The lock on this door already holds this " + (checked.type().equals("PIN") ? "PIN" : "card")
                                        + "; choose another");
                    }
                    String pin = checked.type().equals("PIN") ? new String(checked.secret(), java.nio.charset.StandardCharsets.US_ASCII) : null;
                    return CredentialEvents.issued(tx, credential, Cause.operator(operator.subject()), now)
                            .map(ignored -> new Issued(credential, pin));
                });
    }

    /**
     * Requests a revocation. A credential that never left the registry (no command carrying it was
     * ever sealed, none is under way) is revoked at once; any other stays revoke_pending until its lock
     * signs for the removal. Repeating a revocation changes nothing.
     */
    public Uni<Credential> revoke(UUID organization, UUID credentialId, String reason, Cause cause, UUID turnoverId) {
        Instant now = clock.instant();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return db.inTransaction(tx -> revoke(tx, organization, credentialId, reason, cause, turnoverId, now, at))
                .invoke(credential -> {
                    if (credential.state() == CredentialState.REVOKE_PENDING) {
                        sync.soon(credential.lockId());
                    }
                });
    }

    Uni<Credential> revoke(SqlClient tx, UUID organization, UUID credentialId, String reason, Cause cause, UUID turnoverId,
            Instant now, OffsetDateTime at) {
        return Db.one(tx, "SELECT " + Credential.COLUMNS + " FROM credential c WHERE c.id = $1 AND c.organization_id = $2 FOR UPDATE",
                Credential::of, credentialId, organization)
                .flatMap(credential -> {
                    if (credential == null) {
                        throw ProblemException.notFound("The credential");
                    }
                    if (!credential.desiredOnLock()) {
                        return Uni.createFrom().item(credential);
                    }
                    boolean neverLeft = credential.state() == CredentialState.SYNC_PENDING && !credential.everSealed()
                            && credential.syncId() == null;
                    CredentialState next = neverLeft ? CredentialState.REVOKED : CredentialState.REVOKE_PENDING;
                    String why = neverLeft ? "never_delivered" : reason;
                    return Db.one(tx, "UPDATE credential c SET state = $2::text, state_reason = $3, revoke_requested_at = $4::timestamptz,"
                            + " revoke_reason = $5, revoked_at = CASE WHEN $2::text = 'revoked' THEN $4::timestamptz END,"
                            + " next_sync_at = $4::timestamptz, sync_attempts = 0, last_sync_error = NULL,"
                            + " turnover_id = coalesce($6::uuid, turnover_id), updated_at = $4::timestamptz"
                            + " WHERE c.id = $1 RETURNING " + Credential.COLUMNS, Credential::of,
                            credentialId, next.db(), why, at, reason, turnoverId)
                            .flatMap(updated -> CredentialEvents.stateChanged(tx, updated, credential.state(), next, why, null, cause, now)
                                    .replaceWith(updated));
                });
    }

    public Uni<Credential> get(UUID organization, UUID credentialId) {
        return db.one("SELECT " + Credential.COLUMNS + " FROM credential c WHERE c.id = $1 AND c.organization_id = $2",
                Credential::of, credentialId, organization)
                .invoke(credential -> {
                    if (credential == null) {
                        throw ProblemException.notFound("The credential");
                    }
                });
    }

    /** The inventory: filters are optional; pending changes first, oldest first. */
    public Uni<List<Credential>> list(UUID organization, UUID lockId, UUID doorId, UUID unitId, CredentialState state, String holder,
            int limit) {
        return db.list("SELECT " + Credential.COLUMNS + " FROM credential c WHERE c.organization_id = $1"
                + " AND ($2::uuid IS NULL OR c.lock_id = $2) AND ($3::uuid IS NULL OR c.door_id = $3)"
                + " AND ($4::uuid IS NULL OR c.unit_id = $4) AND ($5::text IS NULL OR c.state = $5)"
                + " AND ($6::text IS NULL OR c.holder_subject_id = $6)"
                + " ORDER BY CASE c.state WHEN 'revoke_pending' THEN 0 WHEN 'sync_pending' THEN 1 WHEN 'active' THEN 2 ELSE 3 END,"
                + " coalesce(c.revoke_requested_at, c.created_at), c.id LIMIT $7",
                Credential::of, organization, lockId, doorId, unitId, state == null ? null : state.db(), holder, limit);
    }
}
