package dev.portcullis.registry.credential;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.proto.command.v1.ApplyCredentialRequest;
import dev.portcullis.proto.command.v1.ApplyCredentialResponse;
import dev.portcullis.proto.command.v1.CredentialOperation;
import dev.portcullis.proto.command.v1.CredentialSyncOutcome;
import dev.portcullis.proto.command.v1.LockCredentials;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Events.Cause;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Delivers pending credential changes to locks through command-service (LockCredentials.Apply), one lock
 * at a time and in order, under a per-lock lease so replicas do not interleave. A change counts only when
 * the lock signed for it: APPLIED moves a credential to active or revoked; a lock that is offline keeps it
 * pending (retried with backoff, and at once when the lock comes back online); a command still under way
 * is asked about again with the same sync id, so a retry can never produce a second command.
 */
@ApplicationScoped
public class CredentialSync {

    private static final Logger LOG = Logger.getLogger(CredentialSync.class);
    private static final int MAX_LOCKS_PER_SWEEP = 50;
    private static final Duration IN_PROGRESS_RECHECK = Duration.ofSeconds(3);

    @Inject
    Db db;

    @Inject
    SecretSealing sealing;

    @Inject
    CredentialConfig config;

    @Inject
    Clock clock;

    @GrpcClient("command")
    LockCredentials command;

    /** Locks asked for while a sync of theirs was running: they are synced again right after. */
    private final Set<UUID> again = ConcurrentHashMap.newKeySet();

    /** Starts a sync of the lock now, in the background (nothing waits for it). */
    public void soon(UUID lockId) {
        syncLock(lockId).subscribe().with(ignored -> { }, failure -> LOG.warnf("credential sync of lock %s failed: %s", lockId,
                failure.toString()));
    }

    /** The lock is back (online, or it reported its credentials): everything pending for it is due now. */
    public void wake(UUID lockId) {
        db.one("UPDATE credential SET next_sync_at = $2 WHERE lock_id = $1 AND state IN ('sync_pending', 'revoke_pending')"
                + " AND sync_id IS NULL RETURNING lock_id", row -> row.getUUID(0), lockId, now())
                .subscribe().with(ignored -> soon(lockId), failure -> LOG.warnf("waking credential sync of lock %s failed: %s",
                        lockId, failure.toString()));
    }

    @Scheduled(every = "${portcullis.credentials.sync-interval:15s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        // a retired lock cannot be commanded: what is pending on it is settled by its successor's reports
        return db.list("SELECT lock_id FROM (SELECT c.lock_id, min(c.next_sync_at) AS due FROM credential c JOIN lock l ON l.id = c.lock_id"
                + " WHERE c.state IN ('sync_pending', 'revoke_pending') AND c.next_sync_at <= now() AND l.status <> 'RETIRED'"
                + " GROUP BY c.lock_id"
                + " UNION SELECT lock_id, min(detected_at) FROM credential_drift WHERE resolved_at IS NULL AND kind = 'unexpected'"
                + " GROUP BY lock_id) pending ORDER BY due LIMIT " + MAX_LOCKS_PER_SWEEP, row -> row.getUUID(0))
                .onItem().transformToMulti(locks -> io.smallrye.mutiny.Multi.createFrom().iterable(locks))
                .onItem().transformToUniAndConcatenate(lock -> syncLock(lock).onFailure().recoverWithItem(false))
                .collect().asList().replaceWithVoid();
    }

    /** Syncs one lock's pending changes; false when another sync holds the lock's lease. */
    public Uni<Boolean> syncLock(UUID lockId) {
        OffsetDateTime now = now();
        return db.one("INSERT INTO credential_sync_lease (lock_id, leased_until) VALUES ($1, $2)"
                + " ON CONFLICT (lock_id) DO UPDATE SET leased_until = EXCLUDED.leased_until"
                + " WHERE credential_sync_lease.leased_until < $3 RETURNING lock_id", row -> row.getUUID(0),
                lockId, now.plus(config.syncLease()), now)
                .flatMap(leased -> {
                    if (leased == null) {
                        again.add(lockId);
                        return Uni.createFrom().item(false);
                    }
                    again.remove(lockId);
                    return next(lockId, 0)
                            .eventually(() -> db.one("UPDATE credential_sync_lease SET leased_until = $2 WHERE lock_id = $1 RETURNING lock_id",
                                    row -> row.getUUID(0), lockId, now()))
                            .invoke(() -> {
                                if (again.remove(lockId)) {
                                    soon(lockId);
                                }
                            })
                            .replaceWith(true);
                });
    }

    /** One change at a time: the oldest due credential change, then stray credentials reconciliation found. */
    private Uni<Void> next(UUID lockId, int done) {
        if (done >= 500) {
            return Uni.createFrom().voidItem();
        }
        return db.one("SELECT " + Credential.COLUMNS + " FROM credential c JOIN lock l ON l.id = c.lock_id WHERE c.lock_id = $1"
                + " AND l.status <> 'RETIRED' AND c.state IN ('sync_pending', 'revoke_pending') AND c.next_sync_at <= $2"
                + " ORDER BY c.updated_at, c.id LIMIT 1", Credential::of, lockId, now())
                .flatMap(credential -> {
                    if (credential != null) {
                        return apply(credential).flatMap(goOn -> goOn ? next(lockId, done + 1) : Uni.createFrom().voidItem());
                    }
                    return db.one("SELECT d.id, d.organization_id, d.credential_id, d.sync_id, d.sync_attempts, l.door_id"
                            + " FROM credential_drift d JOIN lock l ON l.id = d.lock_id"
                            + " WHERE d.lock_id = $1 AND d.kind = 'unexpected' AND d.resolved_at IS NULL ORDER BY d.detected_at LIMIT 1",
                            row -> new Stray(row.getUUID("id"), row.getUUID("organization_id"), row.getUUID("credential_id"),
                                    row.getString("sync_id"), row.getInteger("sync_attempts"), row.getUUID("door_id")), lockId)
                            .flatMap(stray -> stray == null ? Uni.createFrom().voidItem()
                                    : removeStray(stray).flatMap(goOn -> goOn ? next(lockId, done + 1) : Uni.createFrom().voidItem()));
                });
    }

    private record Stray(UUID id, UUID organizationId, UUID credentialId, String syncId, int attempts, UUID doorId) {
    }

    /** Sends the credential's pending change; true to go on with the lock's next change. */
    private Uni<Boolean> apply(Credential credential) {
        boolean put = credential.state() == CredentialState.SYNC_PENDING;
        String syncId = credential.syncId() != null ? credential.syncId()
                : "cred-" + credential.id() + (put ? "-put-" : "-remove-") + (credential.syncAttempts() + 1);
        byte[] body;
        try {
            body = put ? credential.toSpec(sealing).serialize() : CredentialSpec.removal(credential.id()).serialize();
        } catch (RuntimeException unusable) {
            // a sealed secret that no longer opens (key rotated away) cannot be sent; say so, never retry fast
            return record(credential, syncId, null, "UNSEALABLE: " + unusable.getMessage()).replaceWith(true);
        }
        ApplyCredentialRequest request = ApplyCredentialRequest.newBuilder()
                .setOrganizationId(credential.organizationId().toString())
                .setDoorId(credential.doorId().toString())
                .setSyncId(syncId)
                .setOperation(put ? CredentialOperation.CREDENTIAL_OPERATION_PUT : CredentialOperation.CREDENTIAL_OPERATION_REMOVE)
                .setCredential(ByteString.copyFrom(body))
                .build();
        // the sync id is recorded before the call: a crash or a revocation meanwhile knows a command may exist
        return db.one("UPDATE credential SET sync_id = $2, sync_attempts = CASE WHEN sync_id IS NULL THEN sync_attempts + 1"
                + " ELSE sync_attempts END WHERE id = $1 AND state = $3 RETURNING id", row -> row.getUUID(0),
                credential.id(), syncId, credential.state().db())
                .flatMap(claimed -> claimed == null ? Uni.createFrom().item(true)
                        : command.apply(request)
                                .ifNoItem().after(Duration.ofSeconds(90)).fail()
                                .onFailure().recoverWithItem(failure -> ApplyCredentialResponse.newBuilder()
                                        .setOutcome(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_UNSPECIFIED)
                                        .setReason(failure instanceof StatusRuntimeException status
                                                ? "COMMAND_SERVICE_" + status.getStatus().getCode()
                                                : "COMMAND_SERVICE_UNREACHABLE")
                                        .build())
                                .flatMap(response -> record(credential, syncId, response, response.getReason())));
    }

    /** Records the outcome; true to go on with the lock's next change. */
    private Uni<Boolean> record(Credential sent, String syncId, ApplyCredentialResponse response, String reason) {
        Instant now = clock.instant();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        CredentialSyncOutcome outcome = response == null ? CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_FAILED : response.getOutcome();
        return db.inTransaction(tx -> Db.one(tx, "SELECT " + Credential.COLUMNS + " FROM credential c WHERE c.id = $1 FOR UPDATE",
                Credential::of, sent.id())
                .flatMap(current -> {
                    boolean sameChange = current.state() == sent.state() && syncId.equals(current.syncId());
                    switch (outcome) {
                        case CREDENTIAL_SYNC_OUTCOME_APPLIED -> {
                            byte[] digest = response.getCredentialSetDigest().toByteArray();
                            if (!sameChange) {
                                // revoked (or re-issued) meanwhile: the PUT landed; the next pass sends what is pending now
                                return Db.exec(tx, "UPDATE credential SET ever_sealed = true, sync_id = NULL, next_sync_at = $2 WHERE id = $1",
                                        sent.id(), at).replaceWith(true);
                            }
                            CredentialState next = sent.state() == CredentialState.SYNC_PENDING ? CredentialState.ACTIVE : CredentialState.REVOKED;
                            return Db.one(tx, "UPDATE credential c SET state = $2::text, state_reason = 'lock_confirmed', ever_sealed = true,"
                                    + " sync_id = NULL, last_sync_error = NULL, confirmed_digest = $3, confirmed_at = $4::timestamptz,"
                                    + " revoked_at = CASE WHEN $2::text = 'revoked' THEN $4::timestamptz ELSE revoked_at END,"
                                    + " updated_at = $4::timestamptz"
                                    + " WHERE c.id = $1 RETURNING " + Credential.COLUMNS, Credential::of,
                                    sent.id(), next.db(), Buffer.buffer(digest), at)
                                    .flatMap(updated -> CredentialEvents.stateChanged(tx, updated, sent.state(), next, "lock_confirmed",
                                            digest, Cause.REGISTRY, now))
                                    .replaceWith(true);
                        }
                        case CREDENTIAL_SYNC_OUTCOME_IN_PROGRESS -> {
                            return Db.exec(tx, "UPDATE credential SET next_sync_at = $2 WHERE id = $1", sent.id(),
                                    at.plus(IN_PROGRESS_RECHECK)).replaceWith(false);
                        }
                        case CREDENTIAL_SYNC_OUTCOME_NOT_DELIVERED, CREDENTIAL_SYNC_OUTCOME_FAILED -> {
                            // nothing changed on the lock (or it refused): a fresh sync id next time, after a backoff;
                            // a refused or unanswered command may have been sealed, so a revocation must be confirmed
                            boolean sealed = outcome == CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_FAILED && response != null;
                            return Db.exec(tx, "UPDATE credential SET sync_id = NULL, last_sync_error = $2, next_sync_at = $3,"
                                    + " ever_sealed = ever_sealed OR $4 WHERE id = $1", sent.id(), reason, at.plus(backoff(current.syncAttempts())), sealed)
                                    // offline: the lock's other changes would not get through either
                                    .replaceWith(outcome == CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_FAILED);
                        }
                        default -> {
                            // command-service did not answer: keep the sync id, so the retry learns the first command's fate
                            return Db.exec(tx, "UPDATE credential SET last_sync_error = $2, next_sync_at = $3 WHERE id = $1",
                                    sent.id(), reason, at.plus(backoff(current.syncAttempts()))).replaceWith(false);
                        }
                    }
                }));
    }

    /** Removes a credential the lock holds that the platform never issued (reconciliation: the platform decides). */
    private Uni<Boolean> removeStray(Stray stray) {
        String syncId = stray.syncId() != null ? stray.syncId() : "drift-" + stray.id() + "-" + (stray.attempts() + 1);
        ApplyCredentialRequest request = ApplyCredentialRequest.newBuilder()
                .setOrganizationId(stray.organizationId().toString())
                .setDoorId(stray.doorId().toString())
                .setSyncId(syncId)
                .setOperation(CredentialOperation.CREDENTIAL_OPERATION_REMOVE)
                .setCredential(ByteString.copyFrom(CredentialSpec.removal(stray.credentialId()).serialize()))
                .build();
        return db.one("UPDATE credential_drift SET sync_id = $2, sync_attempts = sync_attempts + CASE WHEN sync_id IS NULL THEN 1 ELSE 0 END"
                + " WHERE id = $1 RETURNING id", row -> row.getUUID(0), stray.id(), syncId)
                .flatMap(ignored -> command.apply(request).ifNoItem().after(Duration.ofSeconds(90)).fail()
                        .onFailure().recoverWithItem(ApplyCredentialResponse.getDefaultInstance()))
                .flatMap(response -> switch (response.getOutcome()) {
                    case CREDENTIAL_SYNC_OUTCOME_APPLIED -> confirmStrayRemoved(stray, response).replaceWith(true);
                    case CREDENTIAL_SYNC_OUTCOME_IN_PROGRESS -> Uni.createFrom().item(false);
                    case CREDENTIAL_SYNC_OUTCOME_UNSPECIFIED -> Uni.createFrom().item(false);
                    default -> db.one("UPDATE credential_drift SET sync_id = NULL WHERE id = $1 RETURNING id", row -> row.getUUID(0),
                            stray.id()).replaceWith(false);
                });
    }

    /**
     * The lock signed for removing what its organization never issued. If that credential is one another
     * organization revoked on this physical lock (before a transfer or recovery), its revocation is confirmed.
     */
    private Uni<Void> confirmStrayRemoved(Stray stray, ApplyCredentialResponse response) {
        Instant now = clock.instant();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        byte[] digest = response.getCredentialSetDigest().toByteArray();
        return db.inTransaction(tx -> Db.exec(tx, "UPDATE credential_drift SET resolved_at = $2, sync_id = NULL WHERE id = $1", stray.id(), at)
                .flatMap(x -> Db.one(tx, "UPDATE credential c SET state = 'revoked', state_reason = 'lock_confirmed', revoked_at = $2,"
                        + " confirmed_digest = $3, confirmed_at = $2, updated_at = $2 WHERE c.id = $1 AND c.state = 'revoke_pending'"
                        + " RETURNING " + Credential.COLUMNS, Credential::of, stray.credentialId(), at, Buffer.buffer(digest)))
                .flatMap(previous -> previous == null ? Uni.createFrom().voidItem()
                        : CredentialEvents.stateChanged(tx, previous, CredentialState.REVOKE_PENDING, CredentialState.REVOKED,
                                "lock_confirmed", digest, Cause.REGISTRY, now).replaceWithVoid()));
    }

    private Duration backoff(int attempts) {
        Duration delay = config.syncInterval().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 10));
        return delay.compareTo(config.maxRetryDelay()) > 0 ? config.maxRetryDelay() : delay;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

}
