package dev.portcullis.registry.credential;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.lock.protocol.OfflineCodes;
import dev.portcullis.proto.events.v1.CredentialIssued;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Events;
import dev.portcullis.registry.admin.Events.Cause;
import dev.portcullis.registry.admin.Operator;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * Offline codes for locks that are often unreachable: a 10-digit code opens the lock during one window
 * (a whole UTC hour start, 1 h to 7 days), checked by the lock alone against the offline-code secret it
 * confirmed holding (lock-protocol §16). The code is shown once; what is recorded is who got which window.
 * A single code cannot be withdrawn: rotating the lock's secret ends every code issued from it.
 */
@ApplicationScoped
public class OfflineCodeIssuer {

    @RegisterForReflection
    public record CodeRequest(OffsetDateTime start, Integer durationHours, String label, String holderSubjectId) {
    }

    @RegisterForReflection
    public record IssuedCode(UUID id, UUID lockId, String code, OffsetDateTime windowStart, OffsetDateTime windowEnd, String label,
            String holderSubjectId, String issuedBy, OffsetDateTime issuedAt) {
    }

    @Inject
    Db db;

    @Inject
    SecretSealing sealing;

    @Inject
    Clock clock;

    private record Secret(UUID credentialId, UUID doorId, byte[] sealed, String state) {
    }

    public Uni<IssuedCode> issue(Operator operator, UUID lockId, CodeRequest request) {
        CodeRequest body = Checks.body(request);
        Integer hours = Checks.required(body.durationHours(), "durationHours");
        Duration duration = Duration.ofHours(hours);
        if (!OfflineCodes.DURATIONS.contains(duration)) {
            throw Checks.invalid("durationHours must be one of 1, 2, 4, 8, 24, 48, 72, 168");
        }
        Instant now = clock.instant();
        Instant start = body.start() == null ? now.truncatedTo(ChronoUnit.HOURS) : body.start().toInstant();
        if (!start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
            throw Checks.invalid("start must be a whole hour (UTC)");
        }
        if (!start.plus(duration).isAfter(now)) {
            throw Checks.invalid("the window has already ended");
        }
        if (start.isAfter(now.plus(Duration.ofDays(365)))) {
            throw Checks.invalid("start is more than a year ahead");
        }
        String label = body.label() == null ? null : Checks.name(body.label(), "label", 200);
        String holder = body.holderSubjectId() == null ? null : Checks.name(body.holderSubjectId(), "holderSubjectId", 200);
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        OffsetDateTime windowStart = OffsetDateTime.ofInstant(start, ZoneOffset.UTC);
        OffsetDateTime windowEnd = OffsetDateTime.ofInstant(start.plus(duration), ZoneOffset.UTC);
        UUID id = UUID.randomUUID();
        return db.inTransaction(tx -> Db.one(tx, "SELECT id FROM lock WHERE id = $1 AND organization_id = $2", row -> row.getUUID(0),
                lockId, operator.organizationId())
                .flatMap(lock -> {
                    if (lock == null) {
                        throw ProblemException.notFound("The lock");
                    }
                    return Db.list(tx, "SELECT id, door_id, sealed_secret, state FROM credential WHERE lock_id = $1"
                            + " AND credential_type = 'OFFLINE_CODES' AND state IN ('sync_pending', 'active')",
                            row -> new Secret(row.getUUID(0), row.getUUID(1), row.getBuffer(2).getBytes(), row.getString(3)), lockId);
                })
                .flatMap(secrets -> {
                    if (secrets.isEmpty()) {
                        throw ProblemException.conflict("no-offline-secret", "The lock has no offline-code secret; give it one first"
                                + " (POST /locks/{id}/offline-code-secret)");
                    }
                    Secret secret = secrets.get(0);
                    if (!secret.state().equals("active")) {
                        throw ProblemException.conflict("offline-secret-pending", "The lock has not confirmed its offline-code secret yet;"
                                + " a code would not open it");
                    }
                    String code = OfflineCodes.code(sealing.open(secret.sealed(), secret.credentialId(), operator.organizationId()),
                            lockId.toString(), start, duration);
                    return Db.exec(tx, "INSERT INTO offline_code (id, organization_id, lock_id, credential_id, window_start, window_end,"
                            + " holder_subject_id, label, issued_by, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                            id, operator.organizationId(), lockId, secret.credentialId(), windowStart, windowEnd, holder, label,
                            operator.subject(), at)
                            .flatMap(x -> Events.append(tx, operator.organizationId(), lockId.toString(), "credential_issued",
                                    Cause.operator(operator.subject()), now, envelope -> envelope.setCredentialIssued(CredentialIssued.newBuilder()
                                            .setCredentialId(id.toString()).setDoorId(secret.doorId().toString()).setLockId(lockId.toString())
                                            .setHolderSubjectId(holder == null ? "" : holder).setCredentialType("OFFLINE_CODE")
                                            .setUsage("temporary").setValidFrom(Events.timestamp(start))
                                            .setValidUntil(Events.timestamp(start.plus(duration))))))
                            .map(x -> new IssuedCode(id, lockId, code, windowStart, windowEnd, label, holder, operator.subject(), at));
                }));
    }

    /** What was issued for the lock, newest window first; never the codes. */
    public Uni<List<IssuedCode>> list(UUID organization, UUID lockId) {
        return db.one("SELECT id FROM lock WHERE id = $1 AND organization_id = $2", row -> row.getUUID(0), lockId, organization)
                .invoke(lock -> {
                    if (lock == null) {
                        throw ProblemException.notFound("The lock");
                    }
                })
                .flatMap(lock -> db.list("SELECT id, lock_id, window_start, window_end, label, holder_subject_id, issued_by, issued_at FROM offline_code"
                + " WHERE lock_id = $1 AND organization_id = $2 ORDER BY window_start DESC, issued_at DESC LIMIT 500",
                row -> new IssuedCode(row.getUUID(0), row.getUUID(1), null, row.getOffsetDateTime(2), row.getOffsetDateTime(3),
                        row.getString(4), row.getString(5), row.getString(6), row.getOffsetDateTime(7)), lockId, organization));
    }
}
