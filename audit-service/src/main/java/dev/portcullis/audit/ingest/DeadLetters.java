package dev.portcullis.audit.ingest;

import dev.portcullis.audit.alert.AlertDraft;
import dev.portcullis.audit.alert.AlertKind;
import dev.portcullis.audit.alert.Alerts;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Parks records that cannot be recorded, so one bad record never stops the consumer, and raises a
 * {@code dead_letter} alert for each in the same transaction.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    DeadLetterRepository repository;

    @Inject
    Alerts alerts;

    /** Stores the record with the reason; logs where it sits and why, never its content. */
    @WithTransaction
    public Uni<Void> park(ReceivedRecord record, String error) {
        return repository.insertIfAbsent(record, error).call(kept -> {
            if (kept == null) {
                return Uni.createFrom().voidItem();
            }
            LOG.warnf("record %s was not recorded in the audit log and was kept as a dead letter: %s", record.describe(), error);
            // The organization is unknown (the record may not even be an envelope): where, not what.
            return alerts.raise(new AlertDraft(AlertKind.DEAD_LETTER, null, null, null, null,
                    "dead letter " + kept.id + " from " + record.describe(), AlertDraft.deadLetterSource(kept.id), null, null,
                    kept.receivedAt.toInstant()));
        }).replaceWithVoid();
    }
}
