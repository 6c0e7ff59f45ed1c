package dev.portcullis.command.unlock;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Ends attempts that waited for a second approver past their deadline. Any replica may sweep: each
 * expiry re-reads the attempt under a row lock, so an attempt expires once and never after approval.
 */
@ApplicationScoped
public class PendingApprovals {

    private static final Logger LOG = Logger.getLogger(PendingApprovals.class);
    static final int BATCH = 100;

    @Inject
    ActionAttemptRepository repository;

    @Inject
    ActionAttempts attempts;

    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> expireDue() {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        return repository.unapprovedDue(now, BATCH)
                .onItem().transformToMulti(ids -> Multi.createFrom().iterable(ids))
                .onItem().transformToUniAndConcatenate(id -> attempts.expireUnapproved(id, now))
                .collect().with(java.util.stream.Collectors.counting())
                .invoke(count -> {
                    if (count > 0) {
                        LOG.infof("%d unlock(s) expired unapproved", count);
                    }
                })
                .onFailure().invoke(failure -> LOG.warnf("sweeping unapproved unlocks failed: %s", failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
