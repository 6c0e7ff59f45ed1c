package dev.portcullis.registry.credential;

import dev.portcullis.lock.protocol.CredentialSet;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Events.Cause;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Compares what a lock says it holds (its credential inventory, reported when it connects or when its
 * set changed locally) with what the platform says it should hold, and resolves every difference with the
 * platform as the authority: a credential the platform never issued is removed, a revocation the lock
 * missed is sent again, a credential the lock lost is sent again, and a set whose content differs is
 * rewritten. Each difference is recorded (credential_drift) and announced (CredentialDriftDetected);
 * it is marked resolved once a later report no longer shows it.
 */
@ApplicationScoped
public class Reconciliation {

    private static final Logger LOG = Logger.getLogger(Reconciliation.class);

    @Inject
    Db db;

    @Inject
    SecretSealing sealing;

    @Inject
    CredentialSync sync;

    @Inject
    Clock clock;

    /** What one report changed (for tests and logs). */
    public record Findings(Set<UUID> unexpected, Set<UUID> revocationsNotApplied, Set<UUID> missing, boolean contentDiffers) {
        boolean any() {
            return !unexpected.isEmpty() || !revocationsNotApplied.isEmpty() || !missing.isEmpty() || contentDiffers;
        }
    }

    public Uni<Findings> reported(UUID organization, UUID lockId, List<UUID> reportedIds, byte[] reportedDigest) {
        Instant now = clock.instant();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        return db.inTransaction(tx -> Db.one(tx, "SELECT door_id FROM lock WHERE id = $1 AND organization_id = $2 FOR NO KEY UPDATE",
                row -> row.getUUID(0), lockId, organization)
                .flatMap(door -> door == null ? Uni.createFrom().item((Findings) null)
                        // this lock's credentials, and revocations pending on its earlier records (the same physical lock
                        // before a transfer, recovery or replacement), which only this lock can still confirm
                        : Db.list(tx, "SELECT " + Credential.COLUMNS + " FROM credential c WHERE (c.lock_id = $1 AND c.state <> 'revoked')"
                                + " OR (c.state = 'revoke_pending' AND c.lock_id IN (SELECT id FROM lock WHERE successor_lock_id = $1"
                                + "   UNION SELECT lock_id FROM lock_transfer WHERE new_lock_id = $1"
                                + "   UNION SELECT lock_id FROM orphan_claim WHERE new_lock_id = $1)) ORDER BY c.id FOR UPDATE OF c", Credential::of, lockId)
                                .flatMap(credentials -> resolve(tx, organization, lockId, door, credentials,
                                        new LinkedHashSet<>(reportedIds), reportedDigest, now, at))))
                .invoke(findings -> {
                    if (findings == null) {
                        LOG.warnf("credential report for unknown lock %s of organization %s ignored", lockId, organization);
                    } else {
                        if (findings.any()) {
                            LOG.infof("lock %s credential drift: %d unexpected, %d revocations not applied, %d missing, content differs: %s",
                                    lockId, findings.unexpected().size(), findings.revocationsNotApplied().size(), findings.missing().size(),
                                    findings.contentDiffers());
                        }
                        sync.wake(lockId);
                    }
                });
    }

    private Uni<Findings> resolve(SqlClient tx, UUID organization, UUID lockId, UUID door, List<Credential> credentials,
            Set<UUID> reported, byte[] reportedDigest, Instant now, OffsetDateTime at) {
        Map<UUID, Credential> known = new HashMap<>();
        credentials.forEach(credential -> known.put(credential.id(), credential));
        Set<UUID> unexpected = new LinkedHashSet<>();
        Set<UUID> notApplied = new LinkedHashSet<>();
        for (UUID id : reported) {
            Credential credential = known.get(id);
            if (credential == null || !credential.lockId().equals(lockId)) {
                // never issued for this lock (or revoked by its earlier owner): removed through this lock's door
                unexpected.add(id);
            } else if (credential.state() == CredentialState.REVOKE_PENDING) {
                notApplied.add(id);
            }
        }
        Set<UUID> missing = new LinkedHashSet<>();
        List<Credential> expectedOnLock = new ArrayList<>();
        for (Credential credential : credentials) {
            if (credential.state() == CredentialState.ACTIVE && !reported.contains(credential.id())) {
                missing.add(credential.id());
            }
            if (credential.desiredOnLock() && reported.contains(credential.id())) {
                expectedOnLock.add(credential);
            }
        }
        boolean contentDiffers = false;
        if (unexpected.isEmpty() && notApplied.isEmpty() && reportedDigest != null && reportedDigest.length > 0) {
            List<CredentialSpec> specs = new ArrayList<>();
            expectedOnLock.forEach(credential -> specs.add(credential.toSpec(sealing)));
            contentDiffers = !Arrays.equals(CredentialSet.digestOf(specs), reportedDigest);
        }
        Findings findings = new Findings(unexpected, notApplied, missing, contentDiffers);
        List<Uni<?>> writes = new ArrayList<>();
        // a credential the lock lost, or every credential whose content may differ, is sent again
        for (Credential credential : credentials) {
            boolean resend = credential.state() == CredentialState.ACTIVE
                    && (missing.contains(credential.id()) || contentDiffers && reported.contains(credential.id()));
            if (resend) {
                String reason = missing.contains(credential.id()) ? "missing_on_lock" : "content_differs";
                writes.add(Db.one(tx, "UPDATE credential c SET state = 'sync_pending', state_reason = $2, sync_id = NULL,"
                        // attempts keep counting: every command gets a sync id never used before
                        + " next_sync_at = $3, updated_at = $3 WHERE c.id = $1 RETURNING " + Credential.COLUMNS,
                        Credential::of, credential.id(), reason, at)
                        .flatMap(updated -> CredentialEvents.stateChanged(tx, updated, CredentialState.ACTIVE,
                                CredentialState.SYNC_PENDING, reason, null, Cause.REGISTRY, now)));
            }
        }
        // a revocation the lock's own report shows done (it was removed another way, e.g. a reset lock that
        // re-enrolled) is confirmed, unless a command about it may still be under way
        for (Credential credential : credentials) {
            if (credential.state() == CredentialState.REVOKE_PENDING && !reported.contains(credential.id()) && credential.syncId() == null) {
                writes.add(Db.one(tx, "UPDATE credential c SET state = 'revoked', state_reason = 'absent_from_lock_report',"
                        + " revoked_at = $2, updated_at = $2 WHERE c.id = $1 RETURNING " + Credential.COLUMNS, Credential::of,
                        credential.id(), at)
                        .flatMap(updated -> CredentialEvents.stateChanged(tx, updated, CredentialState.REVOKE_PENDING,
                                CredentialState.REVOKED, "absent_from_lock_report", reportedDigest, Cause.REGISTRY, now)));
            }
        }
        Set<String> open = new LinkedHashSet<>();
        unexpected.forEach(id -> open.add(id + "/unexpected"));
        notApplied.forEach(id -> open.add(id + "/revocation_not_applied"));
        missing.forEach(id -> open.add(id + "/missing"));
        if (contentDiffers) {
            open.add("null/content_differs");
        }
        for (String finding : open) {
            String[] parts = finding.split("/");
            UUID credentialId = parts[0].equals("null") ? null : UUID.fromString(parts[0]);
            writes.add(Db.exec(tx, "INSERT INTO credential_drift (id, organization_id, lock_id, credential_id, kind, detected_at)"
                    + " VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
                    UUID.randomUUID(), organization, lockId, credentialId, parts[1], at));
        }
        // what an earlier report found and this one no longer shows is resolved
        writes.add(Db.exec(tx, "UPDATE credential_drift SET resolved_at = $2 WHERE lock_id = $1 AND resolved_at IS NULL"
                + " AND NOT ((coalesce(credential_id::text, 'null') || '/' || kind) = ANY ($3))",
                lockId, at, open.toArray(new String[0])));
        // the shadow's desired credential set: everything the platform wants on this lock
        List<CredentialSpec> desired = new ArrayList<>();
        credentials.stream().filter(c -> c.lockId().equals(lockId) && c.desiredOnLock()).forEach(c -> desired.add(c.toSpec(sealing)));
        writes.add(Db.exec(tx, "INSERT INTO lock_shadow (lock_id, organization_id, desired_credential_set_digest) VALUES ($1, $2, $3)"
                + " ON CONFLICT (lock_id) DO UPDATE SET desired_credential_set_digest = EXCLUDED.desired_credential_set_digest",
                lockId, organization, io.vertx.core.buffer.Buffer.buffer(CredentialSet.digestOf(desired))));
        // a missed revocation goes out now, not after its backoff
        writes.add(Db.exec(tx, "UPDATE credential SET next_sync_at = $2 WHERE lock_id = $1 AND state = 'revoke_pending'", lockId, at));
        if (findings.any()) {
            writes.add(CredentialEvents.drift(tx, organization, lockId, door, union(unexpected, notApplied), missing, contentDiffers, now));
        }
        return io.smallrye.mutiny.Multi.createFrom().iterable(writes)
                .onItem().transformToUniAndConcatenate(write -> write)
                .collect().last().replaceWith(findings);
    }

    private static Set<UUID> union(Set<UUID> a, Set<UUID> b) {
        Set<UUID> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return all;
    }
}
