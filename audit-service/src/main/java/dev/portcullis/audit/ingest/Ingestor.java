package dev.portcullis.audit.ingest;

import dev.portcullis.audit.chain.Appended;
import dev.portcullis.audit.chain.AuditChain;
import dev.portcullis.audit.chain.EntryColumns;
import dev.portcullis.audit.chain.InvalidEventException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Turns one received record into an audit entry, or into a dead letter when it cannot be one. */
@ApplicationScoped
public class Ingestor {

    private static final Logger LOG = Logger.getLogger(Ingestor.class);

    @Inject
    AuditChain chain;

    @Inject
    DeadLetters deadLetters;

    public Uni<Void> ingest(ReceivedRecord record) {
        EntryColumns columns;
        try {
            columns = EntryColumns.derive(record.value());
        } catch (InvalidEventException e) {
            return deadLetters.park(record, e.getMessage());
        }
        return chain.append(record.value(), columns).flatMap(appended -> switch (appended.outcome()) {
            case RECORDED -> Uni.createFrom().voidItem();
            case DUPLICATE -> {
                LOG.debugf("record %s repeats event %s (entry %d); nothing written", record.describe(), columns.eventId(),
                        appended.sequence());
                yield Uni.createFrom().voidItem();
            }
            case CONFLICTING -> deadLetters.park(record, "event_id " + columns.eventId()
                    + " is already recorded as entry " + appended.sequence() + " with different content");
        });
    }
}
