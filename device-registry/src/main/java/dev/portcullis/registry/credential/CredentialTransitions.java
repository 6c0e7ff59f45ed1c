package dev.portcullis.registry.credential;

import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.CredentialStateChanged;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.registry.admin.Events;
import dev.portcullis.registry.ownership.LockCredentialsTransition;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * What the lock lifecycle does to credentials, inside the lifecycle flow's transaction:
 * <ul>
 * <li>ownership transfer / orphan recovery: the giving organization's credentials on the lock are revoked
 * (two-phase). The lock can no longer be commanded as the old record; the revocation is confirmed by
 * the lock under its new record — its inventory no longer naming them, or the removal the new owner's
 * reconciliation sends for what it never issued (see {@link Reconciliation}).</li>
 * <li>replacement: the credentials the platform wants on the door move to the successor lock and are sent
 * to it once it enrolls; revocations still pending on the retired lock are closed as {@code lock_retired}
 * (it is off the door, its keys revoked: nothing can reach it any more).</li>
 * </ul>
 */
@ApplicationScoped
public class CredentialTransitions implements LockCredentialsTransition {

    @Inject
    SecretSealing sealing;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    private record Row(UUID id, UUID doorId, UUID lockId, String state, boolean neverLeft, byte[] sealedSecret) {
    }

    @Override
    public Uni<Void> revokeAll(UUID organization, UUID lockId, String reason) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return rows(organization, lockId, "'sync_pending', 'active'")
                .flatMap(rows -> each(rows, row -> {
                    String next = row.neverLeft() ? "revoked" : "revoke_pending";
                    String why = row.neverLeft() ? "never_delivered" : reason;
                    return exec("UPDATE credential SET state = ?2, state_reason = ?3, revoke_requested_at = ?4, revoke_reason = ?5,"
                            + " revoked_at = CASE WHEN ?2 = 'revoked' THEN cast(?4 AS timestamptz) END, next_sync_at = ?4, sync_attempts = 0,"
                            + " last_sync_error = NULL, updated_at = ?4 WHERE id = ?1", row.id(), next, why, now, reason)
                            .flatMap(x -> changed(organization, row, next, why, now));
                }));
    }

    @Override
    public Uni<Void> moveAll(UUID organization, UUID fromLock, UUID toLock) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return rows(organization, fromLock, "'sync_pending', 'active'")
                .call(rows -> fits(organization, fromLock, toLock, rows.size()))
                .flatMap(rows -> each(rows, row -> {
                    // the per-lock lookup is keyed by the lock: recomputed for the successor
                    byte[] lookup = row.sealedSecret() == null ? null
                            : sealing.lookup(toLock, sealing.open(row.sealedSecret(), row.id(), organization));
                    return exec("UPDATE credential SET lock_id = ?2, secret_lookup = ?3, state = 'sync_pending',"
                            + " state_reason = 'moved_to_replacement', sync_id = NULL, ever_sealed = false, confirmed_digest = NULL,"
                            + " confirmed_at = NULL, next_sync_at = ?4, last_sync_error = NULL, updated_at = ?4 WHERE id = ?1",
                            row.id(), toLock, lookup, now)
                            .flatMap(x -> changed(organization, new Row(row.id(), row.doorId(), toLock, row.state(), false, null),
                                    "sync_pending", "moved_to_replacement", now));
                }))
                .flatMap(x -> rows(organization, fromLock, "'revoke_pending'"))
                .flatMap(rows -> each(rows, row -> exec("UPDATE credential SET state = 'revoked', state_reason = 'lock_retired',"
                        + " revoked_at = ?2, updated_at = ?2 WHERE id = ?1", row.id(), now)
                        .flatMap(x -> changed(organization, row, "revoked", "lock_retired", now))));
    }

    /**
     * The successor's model must hold what moves: as many credentials (and holders) and every type. Otherwise
     * the replacement is refused (409) and the flow's transaction rolls back: nothing changes.
     */
    private Uni<Void> fits(UUID organization, UUID fromLock, UUID toLock, int moving) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("SELECT m.manufacturer || ' ' || m.model,"
                + " m.max_credentials, m.max_users, cast(m.credential_types AS text),"
                + " (SELECT count(DISTINCT c.holder_subject_id) FROM credential c WHERE c.lock_id = ?2 AND c.state IN ('sync_pending', 'active')),"
                + " (SELECT string_agg(DISTINCT c.credential_type, ',') FROM credential c WHERE c.lock_id = ?2"
                + "   AND c.state IN ('sync_pending', 'active') AND c.credential_type <> ALL (m.credential_types)"
                + "   AND NOT (c.credential_type = 'OFFLINE_CODES' AND 'PIN' = ANY (m.credential_types)))"
                + " FROM lock l JOIN lock_model m ON m.id = l.lock_model_id WHERE l.id = ?1 AND l.organization_id = ?3", Object[].class)
                .setParameter(1, toLock).setParameter(2, fromLock).setParameter(3, organization)
                .getResultList())
                .invoke(found -> {
                    if (found.isEmpty()) {
                        return;
                    }
                    Object[] model = found.get(0);
                    int maxCredentials = ((Number) model[1]).intValue();
                    int maxUsers = ((Number) model[2]).intValue();
                    long holders = ((Number) model[4]).longValue();
                    if (moving > maxCredentials || holders > maxUsers) {
                        throw ProblemException.conflict("capacity-exceeded", "The door's lock holds " + moving + " credentials of "
                                + holders + " people; the replacement's model (" + model[0] + ") holds at most " + maxCredentials
                                + " credentials of " + maxUsers + " users. Revoke some first, or choose another model");
                    }
                    if (model[5] != null) {
                        throw ProblemException.conflict("unsupported-credential-type", "The replacement's model (" + model[0]
                                + ") does not support " + model[5] + " credentials the door's lock holds. Revoke them first, or choose another model");
                    }
                })
                .replaceWithVoid();
    }

    private Uni<List<Row>> rows(UUID organization, UUID lockId, String states) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery("SELECT id, door_id, lock_id, state,"
                + " (state = 'sync_pending' AND NOT ever_sealed AND sync_id IS NULL), sealed_secret FROM credential"
                + " WHERE organization_id = ?1 AND lock_id = ?2 AND state IN (" + states + ") ORDER BY created_at, id FOR UPDATE",
                Object[].class)
                .setParameter(1, organization).setParameter(2, lockId)
                .getResultList())
                .map(found -> found.stream().map(r -> new Row((UUID) r[0], (UUID) r[1], (UUID) r[2], (String) r[3], (Boolean) r[4],
                        (byte[]) r[5])).toList());
    }

    private static Uni<Integer> exec(String sql, Object... args) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createNativeQuery(sql);
            for (int i = 0; i < args.length; i++) {
                query.setParameter(i + 1, args[i]);
            }
            return query.executeUpdate();
        });
    }

    private static Uni<Void> each(List<Row> rows, java.util.function.Function<Row, Uni<?>> work) {
        return Multi.createFrom().iterable(rows).onItem().transformToUniAndConcatenate(work).collect().last().replaceWithVoid();
    }

    private Uni<Void> changed(UUID organization, Row row, String state, String reason, OffsetDateTime at) {
        UUID eventId = UUID.randomUUID();
        Instant instant = at.toInstant();
        EventEnvelope envelope = EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(organization.toString())
                .setOccurredAt(Events.timestamp(instant))
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_SERVICE).setId(Events.SOURCE).setOrganizationId(organization.toString()))
                .setSource(Events.SOURCE)
                .setCredentialStateChanged(CredentialStateChanged.newBuilder().setCredentialId(row.id().toString())
                        .setDoorId(row.doorId().toString()).setLockId(row.lockId().toString()).setState(state)
                        .setPreviousState(row.state()).setReason(reason))
                .build();
        return outbox.append(Events.TOPIC, row.lockId().toString(), eventId, "credential_state_changed", envelope).replaceWithVoid();
    }
}
