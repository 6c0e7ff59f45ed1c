package dev.portcullis.registry.shadow;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.events.v1.LockTamperCleared;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.ownership.LifecycleEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** An operator clears a lock's tamper flag: the shadow changes and {@code LockTamperCleared} is written in one transaction. */
@ApplicationScoped
public class TamperClearance {

    @Inject
    LifecycleEvents events;

    @Inject
    Clock clock;

    @WithTransaction
    public Uni<Void> clear(Operator op, UUID lockId, String note) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                "SELECT CAST(l.door_id AS text), s.tampered, s.tampered_since FROM lock l LEFT JOIN lock_shadow s ON s.lock_id = l.id"
                        + " WHERE l.organization_id = :org AND l.id = :lock FOR UPDATE OF l", Object[].class)
                .setParameter("org", op.organizationId()).setParameter("lock", lockId).getResultList()
                .flatMap(rows -> {
                    if (rows.isEmpty()) {
                        throw ProblemException.notFound("The lock");
                    }
                    Object[] row = rows.get(0);
                    if (!Boolean.TRUE.equals(row[1])) {
                        throw ProblemException.conflict("not-tampered", "The lock is not marked tampered");
                    }
                    OffsetDateTime since = row[2] instanceof OffsetDateTime time ? time
                            : row[2] instanceof java.time.Instant instant ? instant.atOffset(ZoneOffset.UTC)
                            : row[2] instanceof java.sql.Timestamp timestamp ? timestamp.toInstant().atOffset(ZoneOffset.UTC) : null;
                    String door = row[0] == null ? "" : row[0].toString();
                    return session.createNativeQuery("UPDATE lock_shadow SET tampered = false, tampered_since = NULL, updated_at = now()"
                            + " WHERE lock_id = :lock").setParameter("lock", lockId).executeUpdate()
                            .flatMap(updated -> events.append(op.organizationId(), lockId, "lock_tamper_cleared", op, now, envelope -> {
                                LockTamperCleared.Builder cleared = LockTamperCleared.newBuilder().setLockId(lockId.toString()).setDoorId(door)
                                        .setNote(note);
                                if (since != null) {
                                    cleared.setTamperedSince(LifecycleEvents.timestamp(since));
                                }
                                envelope.setLockTamperCleared(cleared);
                            }));
                }));
    }
}
