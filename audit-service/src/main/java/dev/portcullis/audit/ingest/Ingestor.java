package dev.portcullis.audit.ingest;

import dev.portcullis.audit.alert.AlertFeed;
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

    @Inject
    AlertFeed alerts;

    public Uni<Void> ingest(ReceivedRecord record) {
        EntryColumns columns;
        try {
            columns = EntryColumns.derive(record.value());
        } catch (InvalidEventException e) {
            return deadLetters.park(record, e.getMessage());
        }
        return chain.append(record.value(), columns).flatMap(appended -> switch (appended.outcome()) {
            // Alert rules run after the entry commits; on a redelivery again (raising is idempotent), so an
            // evaluation lost to a crash between the two is made up when the record comes back.
            case RECORDED -> alerts.onEntry(columns, appended.sequence());
            case DUPLICATE -> {
                LOG.debugf("record %s repeats event %s (entry %d); nothing written", record.describe(), columns.eventId(),
                        appended.sequence());
                yield alerts.onEntry(columns, appended.sequence());
            }
            case CONFLICTING -> deadLetters.park(record, "event_id " + columns.eventId()
                    + " is already recorded as entry " + appended.sequence() + " with different content");
        });
    }
}
