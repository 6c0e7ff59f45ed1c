package dev.portcullis.audit.chain;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Appends events to the hash chain. Each append locks the chain head, so appends from any number of
 * consumers (threads or replicas) are serialized: sequences are gap-free and the chain never forks.
 * Idempotent by event id: the ids are looked up under the same lock, and the unique constraint on
 * {@code event_id} backs that up.
 *
 * <p>A batch (one Kafka poll) is appended in one transaction: the head is locked once, the batch's
 * event ids are looked up in one query, and the new entries (with their credential index rows and door
 * properties) are written in one pipelined round trip; the insert trigger still checks every entry
 * against the head it moves.
 */
@ApplicationScoped
public class AuditChain {

    /** An event offered to the chain: the exact bytes received and the columns derived from them. */
    public record Offer(byte[] envelope, EntryColumns columns) {
    }

    private static final String INSERT_ENTRY = "INSERT INTO audit_entry (sequence, event_id, organization_id, occurred_at, "
            + "recorded_at, event_type, actor_type, actor_id, method, door_id, lock_id, action_attempt_id, outcome, reasons, "
            + "envelope, previous_hash, entry_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)";
    private static final String INSERT_CREDENTIAL = "INSERT INTO audit_entry_credential (sequence, organization_id, credential_id) "
            + "VALUES ($1, $2, $3)";
    private static final String UPSERT_DOOR_PROPERTY = "INSERT INTO door_property (organization_id, door_id, property_id, source_sequence) "
            + "VALUES ($1, $2, $3, $4) ON CONFLICT (organization_id, door_id) DO UPDATE SET property_id = EXCLUDED.property_id, "
            + "source_sequence = EXCLUDED.source_sequence WHERE door_property.source_sequence < EXCLUDED.source_sequence";

    @Inject
    Pool pool;

    /**
     * Records one event.
     *
     * @param envelope the exact bytes received (they are stored and hashed as they are)
     * @param columns  the columns derived from those bytes ({@link EntryColumns#derive(byte[])})
     */
    public Uni<Appended> append(byte[] envelope, EntryColumns columns) {
        return appendAll(List.of(new Offer(envelope, columns))).map(outcomes -> outcomes.get(0));
    }

    /**
     * Records a batch in one transaction, in order; returns what became of each offer (same order). An id
     * repeated within the batch is recorded once: a later offer of it is a duplicate (same bytes) or
     * conflicting (different bytes) like an id recorded before.
     */
    public Uni<List<Appended>> appendAll(List<Offer> offers) {
        if (offers.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.withTransaction(connection -> appendIn(connection, offers));
    }

    /**
     * Records offers on a connection whose transaction the caller holds (and commits or rolls back), so an
     * entry is written atomically with the caller's own rows. Locks the chain head until that transaction ends.
     */
    public Uni<List<Appended>> appendIn(SqlConnection connection, List<Offer> offers) {
        return connection.query("SELECT sequence, hash FROM chain_head WHERE id = 1 FOR UPDATE")
                .execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new ChainHead(row.getLong("sequence"), row.getBuffer("hash").getBytes());
                })
                .flatMap(head -> recorded(connection, offers).flatMap(known -> write(connection, head, offers, known)));
    }

    private record Known(long sequence, byte[] envelope) {
    }

    /** The entries already holding any of the offers' event ids. */
    private static Uni<Map<UUID, Known>> recorded(SqlConnection connection, List<Offer> offers) {
        UUID[] ids = offers.stream().map(offer -> offer.columns().eventId()).distinct().toArray(UUID[]::new);
        return connection.preparedQuery("SELECT event_id, sequence, envelope FROM audit_entry WHERE event_id = ANY($1)")
                .execute(Tuple.of(ids))
                .map(rows -> {
                    Map<UUID, Known> known = new HashMap<>();
                    for (Row row : rows) {
                        known.put(row.getUUID("event_id"), new Known(row.getLong("sequence"), row.getBuffer("envelope").getBytes()));
                    }
                    return known;
                });
    }

    private static Uni<List<Appended>> write(SqlConnection connection, ChainHead head, List<Offer> offers, Map<UUID, Known> known) {
        List<Appended> outcomes = new ArrayList<>(offers.size());
        List<Tuple> entries = new ArrayList<>();
        List<Tuple> credentials = new ArrayList<>();
        Map<String, Tuple> doors = new LinkedHashMap<>();
        long sequence = head.sequence();
        byte[] previous = head.hash();
        OffsetDateTime recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        for (Offer offer : offers) {
            EntryColumns columns = offer.columns();
            Known existing = known.get(columns.eventId());
            if (existing != null) {
                outcomes.add(new Appended(Arrays.equals(existing.envelope(), offer.envelope())
                        ? Appended.Outcome.DUPLICATE
                        : Appended.Outcome.CONFLICTING, existing.sequence()));
                continue;
            }
            sequence++;
            byte[] entryHash = EntryHash.compute(sequence, previous, offer.envelope());
            entries.add(Tuple.from(Arrays.asList(sequence, columns.eventId(), columns.organizationId(),
                    columns.occurredAt() == null ? null : columns.occurredAt().atOffset(ZoneOffset.UTC), recordedAt,
                    columns.eventType(), columns.actorType(), columns.actorId(), columns.method(), columns.doorId(), columns.lockId(),
                    columns.actionAttemptId(), columns.outcome(), columns.reasons().toArray(String[]::new),
                    Buffer.buffer(offer.envelope()), Buffer.buffer(previous), Buffer.buffer(entryHash))));
            for (String credential : columns.credentialIds()) {
                credentials.add(Tuple.of(sequence, columns.organizationId(), credential));
            }
            if (columns.propertyId() != null && columns.doorId() != null && columns.organizationId() != null) {
                // Within a batch the last DoorChanged of a door wins; across batches source_sequence decides.
                doors.put(columns.organizationId() + "/" + columns.doorId(),
                        Tuple.of(columns.organizationId(), columns.doorId(), columns.propertyId(), sequence));
            }
            known.put(columns.eventId(), new Known(sequence, offer.envelope()));
            outcomes.add(new Appended(Appended.Outcome.RECORDED, sequence));
            previous = entryHash;
        }
        Uni<Void> written = entries.isEmpty()
                ? Uni.createFrom().voidItem()
                : connection.preparedQuery(INSERT_ENTRY).executeBatch(entries).replaceWithVoid();
        if (!credentials.isEmpty()) {
            written = written.chain(() -> connection.preparedQuery(INSERT_CREDENTIAL).executeBatch(credentials).replaceWithVoid());
        }
        if (!doors.isEmpty()) {
            List<Tuple> upserts = new ArrayList<>(doors.values());
            written = written.chain(() -> connection.preparedQuery(UPSERT_DOOR_PROPERTY).executeBatch(upserts).replaceWithVoid());
        }
        return written.replaceWith(outcomes);
    }
}
