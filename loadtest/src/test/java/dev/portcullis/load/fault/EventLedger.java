package dev.portcullis.load.fault;

import dev.portcullis.testkit.PgServer;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where an unlock's events are, read straight from the databases: command-service's outbox (what it
 * committed with each state change) and audit-service's log (what arrived). The exactly-once check compares
 * the two for the action attempts the load created.
 */
final class EventLedger {

    static final String UNLOCK_TOPIC = "portcullis.unlock.v1";

    /** An event of one action attempt: its id and type. */
    record Event(String eventId, String attemptId, String type) {
    }

    /** One action attempt row of command-service. */
    record Attempt(String id, String status, String lockId, boolean commandComplete, boolean commandPartial, Long counter) {
    }

    /** The outcome of one comparison; {@link #problems()} is empty when every event arrived exactly once. */
    record Comparison(int attempts, int outboxEvents, int auditEvents, int unpublished, List<String> problems) {
        boolean exactlyOnce() {
            return problems.isEmpty();
        }
    }

    private final PgServer postgres;
    private final String commandDatabase;
    private final String auditDatabase;

    EventLedger(PgServer postgres, String databasePrefix) {
        this.postgres = postgres;
        this.commandDatabase = databasePrefix + "_command";
        this.auditDatabase = databasePrefix + "_audit";
    }

    /** The unlock events command-service's outbox holds for these attempts. */
    List<Event> outbox(Collection<String> attemptIds) throws SQLException {
        return events(commandDatabase, "select event_id::text, record_key, event_type from outbox_event "
                + "where topic = '" + UNLOCK_TOPIC + "' and record_key = any(?)", attemptIds);
    }

    /** The entries audit-service recorded for these attempts. */
    List<Event> audit(Collection<String> attemptIds) throws SQLException {
        return events(auditDatabase, "select event_id::text, action_attempt_id, event_type from audit_entry "
                + "where action_attempt_id = any(?)", attemptIds);
    }

    /** How many rows of command-service's outbox (any topic) are not published yet. */
    int unpublished() throws SQLException {
        try (Connection connection = postgres.database(commandDatabase).connect();
             PreparedStatement query = connection.prepareStatement("select count(*) from outbox_event where published_at is null");
             ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** How many of these attempts' unlock events in command-service's outbox are not published yet. */
    int unpublished(Collection<String> attemptIds) throws SQLException {
        try (Connection connection = postgres.database(commandDatabase).connect();
             PreparedStatement query = connection.prepareStatement("select count(*) from outbox_event where published_at is null "
                     + "and topic = '" + UNLOCK_TOPIC + "' and record_key = any(?)")) {
            query.setArray(1, connection.createArrayOf("text", attemptIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** The ids of command-service's action attempts created at or after {@code since}. */
    List<String> attemptIdsSince(Instant since) throws SQLException {
        try (Connection connection = postgres.database(commandDatabase).connect();
             PreparedStatement query = connection.prepareStatement("select id::text from action_attempt where created_at >= ?")) {
            query.setObject(1, since.atOffset(java.time.ZoneOffset.UTC));
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    /** command-service's action attempts among these ids. */
    List<Attempt> attempts(Collection<String> attemptIds) throws SQLException {
        try (Connection connection = postgres.database(commandDatabase).connect();
             PreparedStatement query = connection.prepareStatement("select id::text, status, lock_id::text, "
                     + "(command_id is not null and key_epoch is not null and counter is not null and command_hash is not null), "
                     + "(command_id is not null or key_epoch is not null or counter is not null or command_hash is not null), counter "
                     + "from action_attempt where id::text = any(?)")) {
            query.setArray(1, connection.createArrayOf("text", attemptIds.toArray()));
            List<Attempt> attempts = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    long counter = rows.getLong(6);
                    Long counterOrNull = rows.wasNull() ? null : counter;
                    attempts.add(new Attempt(rows.getString(1), rows.getString(2), rows.getString(3), rows.getBoolean(4),
                            rows.getBoolean(5), counterOrNull));
                }
            }
            return attempts;
        }
    }

    /**
     * Every unlock event command-service committed for these attempts is published and recorded by audit exactly
     * once (same event ids, same count), and no attempt has two events of one type in either place.
     */
    Comparison compare(Collection<String> attemptIds) throws SQLException {
        List<Event> outbox = outbox(attemptIds);
        List<Event> audit = audit(attemptIds);
        List<String> problems = new ArrayList<>();
        Map<String, Long> auditCount = new HashMap<>();
        audit.forEach(event -> auditCount.merge(event.eventId(), 1L, Long::sum));
        Set<String> outboxIds = new HashSet<>();
        for (Event event : outbox) {
            outboxIds.add(event.eventId());
            long arrived = auditCount.getOrDefault(event.eventId(), 0L);
            if (arrived != 1) {
                problems.add(event.type() + " " + event.eventId() + " of attempt " + event.attemptId() + " recorded " + arrived + " times");
            }
        }
        for (Event event : audit) {
            if (event.type().startsWith("unlock_") && !outboxIds.contains(event.eventId())) {
                problems.add("audit has " + event.type() + " " + event.eventId() + " of attempt " + event.attemptId()
                        + " that command-service never committed");
            }
        }
        problems.addAll(duplicates("outbox", outbox));
        problems.addAll(duplicates("audit", audit));
        int unpublished = unpublished();
        return new Comparison(attemptIds.size(), outbox.size(), audit.size(), unpublished,
                problems.size() > 20 ? List.of(problems.size() + " problems, first: " + problems.subList(0, 20)) : problems);
    }

    /**
     * Compares until every event has arrived exactly once or {@code timeout} passed (polling every 500 ms);
     * returns the last comparison.
     */
    Comparison awaitExactlyOnce(Collection<String> attemptIds, Duration timeout) throws SQLException {
        Instant deadline = Instant.now().plus(timeout);
        Comparison last = compare(attemptIds);
        for (int i = 0; i < 2_000 && !last.exactlyOnce() && Instant.now().isBefore(deadline); i++) {
            FaultMesh.sleep(500);
            last = compare(attemptIds);
        }
        return last;
    }

    /** Types per attempt: {"unlock_requested": n, ...} over all attempts. */
    static Map<String, Long> typeCounts(List<Event> events) {
        Map<String, Long> counts = new TreeMap<>();
        events.forEach(event -> counts.merge(event.type(), 1L, Long::sum));
        return counts;
    }

    private static List<String> duplicates(String where, List<Event> events) {
        Map<String, Long> perAttemptAndType = new HashMap<>();
        events.forEach(event -> perAttemptAndType.merge(event.attemptId() + " " + event.type(), 1L, Long::sum));
        return perAttemptAndType.entrySet().stream().filter(entry -> entry.getValue() > 1)
                .map(entry -> where + ": attempt and type " + entry.getKey() + " appear " + entry.getValue() + " times").toList();
    }

    private List<Event> events(String database, String sql, Collection<String> attemptIds) throws SQLException {
        try (Connection connection = postgres.database(database).connect();
             PreparedStatement query = connection.prepareStatement(sql)) {
            Array ids = connection.createArrayOf("text", attemptIds.toArray());
            query.setArray(1, ids);
            List<Event> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    events.add(new Event(rows.getString(1), rows.getString(2), rows.getString(3)));
                }
            }
            return events;
        }
    }
}
