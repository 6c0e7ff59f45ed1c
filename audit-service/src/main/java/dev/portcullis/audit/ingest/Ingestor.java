package dev.portcullis.audit.ingest;

import dev.portcullis.audit.alert.AlertFeed;
import dev.portcullis.audit.chain.Appended;
import dev.portcullis.audit.chain.AuditChain;
import dev.portcullis.audit.chain.EntryColumns;
import dev.portcullis.audit.chain.InvalidEventException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/** Turns received records into audit entries, or into dead letters when they cannot be entries. */
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
        return ingestAll(List.of(record));
    }

    /**
     * Records a batch: every record that is an event is appended in one transaction (in order); records
     * that cannot be entries (poison) and ids recorded before with other bytes are kept as dead letters,
     * each on its own, without holding back the rest. Alert rules run once the entries are committed — on a
     * redelivery again (raising is idempotent), so an evaluation lost to a crash between the two is made up
     * when the records come back.
     */
    public Uni<Void> ingestAll(List<ReceivedRecord> records) {
        List<ReceivedRecord> offered = new ArrayList<>(records.size());
        List<AuditChain.Offer> offers = new ArrayList<>(records.size());
        List<Uni<Void>> poison = new ArrayList<>();
        for (ReceivedRecord record : records) {
            try {
                offers.add(new AuditChain.Offer(record.value(), EntryColumns.derive(record.value())));
                offered.add(record);
            } catch (InvalidEventException e) {
                poison.add(Uni.createFrom().deferred(() -> deadLetters.park(record, e.getMessage())));
            }
        }
        return chain.appendAll(offers).flatMap(outcomes -> {
            List<AlertFeed.Recorded> recorded = new ArrayList<>(outcomes.size());
            List<Uni<Void>> conflicts = new ArrayList<>();
            for (int i = 0; i < outcomes.size(); i++) {
                Appended appended = outcomes.get(i);
                ReceivedRecord record = offered.get(i);
                EntryColumns columns = offers.get(i).columns();
                switch (appended.outcome()) {
                    case RECORDED -> recorded.add(new AlertFeed.Recorded(columns, appended.sequence()));
                    case DUPLICATE -> {
                        LOG.debugf("record %s repeats event %s (entry %d); nothing written", record.describe(), columns.eventId(),
                                appended.sequence());
                        recorded.add(new AlertFeed.Recorded(columns, appended.sequence()));
                    }
                    case CONFLICTING -> conflicts.add(Uni.createFrom().deferred(() -> deadLetters.park(record, "event_id "
                            + columns.eventId() + " is already recorded as entry " + appended.sequence() + " with different content")));
                }
            }
            return alerts.onEntries(recorded).chain(() -> inOrder(conflicts));
        }).chain(() -> inOrder(poison));
    }

    private static Uni<Void> inOrder(List<Uni<Void>> steps) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (Uni<Void> step : steps) {
            all = all.chain(() -> step);
        }
        return all;
    }
}
