package dev.portcullis.audit.ingest;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Parks records that cannot be recorded, so one bad record never stops the consumer. */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);

    @Inject
    DeadLetterRepository repository;

    /** Stores the record with the reason; logs where it sits and why, never its content. */
    @WithTransaction
    public Uni<Void> park(ReceivedRecord record, String error) {
        return repository.insertIfAbsent(record, error).invoke(inserted -> {
            if (inserted) {
                LOG.warnf("record %s was not recorded in the audit log and was kept as a dead letter: %s", record.describe(), error);
            }
        }).replaceWithVoid();
    }
}
