package dev.portcullis.audit.chain;

import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * Appends events to the hash chain. Each append locks the chain head, so appends from any number of
 * consumers (threads or replicas) are serialized: sequences are gap-free and the chain never forks.
 * Idempotent by event id: the id is looked up under the same lock, and the unique constraint on
 * {@code event_id} backs that up.
 */
@ApplicationScoped
public class AuditChain {

    @Inject
    ChainRepository entries;

    /**
     * Records an event.
     *
     * @param envelope the exact bytes received (they are stored and hashed as they are)
     * @param columns  the columns derived from those bytes ({@link EntryColumns#derive(byte[])})
     */
    @WithTransaction
    public Uni<Appended> append(byte[] envelope, EntryColumns columns) {
        return entries.lockHead().flatMap(head -> entries.findByEventId(columns.eventId()).flatMap(existing -> {
            if (existing != null) {
                return Uni.createFrom().item(new Appended(Arrays.equals(existing.envelope, envelope)
                        ? Appended.Outcome.DUPLICATE
                        : Appended.Outcome.CONFLICTING, existing.sequence));
            }
            long sequence = head.sequence() + 1;
            byte[] entryHash = EntryHash.compute(sequence, head.hash(), envelope);
            OffsetDateTime recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
            AuditEntryEntity entry = AuditEntryEntity.of(sequence, columns, envelope, head.hash(), entryHash, recordedAt);
            return entries.append(entry).replaceWith(new Appended(Appended.Outcome.RECORDED, sequence));
        }));
    }
}
