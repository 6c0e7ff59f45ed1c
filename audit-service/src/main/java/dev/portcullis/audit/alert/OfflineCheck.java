package dev.portcullis.audit.alert;

import dev.portcullis.audit.chain.AuditEntryEntity;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Locks offline too long: a {@code lock_presence_changed} entry saying offline, recorded more than
 * {@code offline-after} ago, with no later presence entry for that lock and no alert for it yet.
 */
@ApplicationScoped
public class OfflineCheck {

    private static final Logger LOG = Logger.getLogger(OfflineCheck.class);
    private static final int BATCH = 100;

    @Inject
    Alerts alerts;

    @Inject
    AlertConfig config;

    @Scheduled(every = "${portcullis.audit.alerts.offline-check-every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> check() {
        return run().onFailure().recoverWithItem(failure -> {
            LOG.warnf("offline check failed: %s (will run again)", failure.toString());
            return 0;
        }).replaceWithVoid();
    }

    /** Raises an alert for each lock offline too long; returns how many. */
    public Uni<Integer> run() {
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "from AuditEntryEntity e where e.eventType = 'lock_presence_changed' and e.outcome = 'offline'"
                                + " and e.organizationId is not null and e.recordedAt < :cutoff"
                                + " and not exists (from AuditEntryEntity later where later.eventType = 'lock_presence_changed'"
                                + " and later.organizationId = e.organizationId and later.lockId = e.lockId"
                                + " and later.sequence > e.sequence)"
                                + " and not exists (from AlertEntity a where a.kind = 'lock_offline' and a.sourceSequence = e.sequence)"
                                + " order by e.sequence", AuditEntryEntity.class)
                .setParameter("cutoff", Instant.now().minus(config.offlineAfter()).atOffset(ZoneOffset.UTC))
                .setMaxResults(BATCH)
                .getResultList()))
                .flatMap(this::raiseAll);
    }

    private Uni<Integer> raiseAll(List<AuditEntryEntity> offline) {
        Uni<Integer> raised = Uni.createFrom().item(0);
        for (AuditEntryEntity entry : offline) {
            raised = raised.flatMap(n -> alerts.raise(new AlertDraft(AlertKind.LOCK_OFFLINE, entry.organizationId, entry.doorId,
                            entry.lockId, null, "offline since " + entry.recordedAt.toInstant() + " (more than " + config.offlineAfter() + ")",
                            AlertDraft.entrySource(entry.sequence), entry.sequence, entry.eventId,
                            entry.occurredAt == null ? null : entry.occurredAt.toInstant()))
                    .map(alert -> alert == null ? n : n + 1));
        }
        return raised;
    }
}
