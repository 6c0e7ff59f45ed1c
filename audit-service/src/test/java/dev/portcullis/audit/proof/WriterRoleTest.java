package dev.portcullis.audit.proof;

import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.audit.chain.EntryColumns;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEventType;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The role the service writes with (portcullis_audit_writer, created by V10) can append to the log but not
 * change it: UPDATE, DELETE and TRUNCATE are refused by privileges (42501), with the triggers as a second
 * line, and it cannot switch the triggers off or move the chain head by hand.
 */
@QuarkusTest
class WriterRoleTest {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Inject
    AgroalDataSource db;

    private Connection writer() throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        return DriverManager.getConnection(url, "portcullis_audit_writer", "");
    }

    private long someEntry() {
        EventEnvelope event = AuditFixtures.lockEvent(UUID.randomUUID(), "lock-w", "door-w", LockEventType.LOCK_EVENT_TYPE_TAMPER);
        AuditFixtures.send(UNLOCK_TOPIC, "w", event.toByteArray());
        return (Long) awaitEntry(db, event.getEventId()).get("sequence");
    }

    @Test
    void theWriterCannotChangeOrRemoveLogRows() throws Exception {
        long victim = someEntry();
        try (Connection writer = writer(); Statement sql = writer.createStatement()) {
            for (String change : List.of(
                    "update audit_entry set outcome = 'permitted' where sequence = " + victim,
                    "delete from audit_entry where sequence = " + victim,
                    "truncate audit_entry",
                    "update merkle_subtree set hash = hash where level = 0 and node_index = 0",
                    "delete from merkle_subtree",
                    "truncate merkle_subtree",
                    "update tree_head set tree_size = 0",
                    "delete from tree_head",
                    "truncate tree_head",
                    "truncate chain_head",
                    "delete from merkle_state",
                    "alter table audit_entry disable trigger audit_entry_append_only",
                    "alter table audit_entry owner to portcullis_audit_writer",
                    "drop table audit_entry")) {
                SQLException refused = assertThrows(SQLException.class, () -> sql.execute(change), change);
                assertEquals(INSUFFICIENT_PRIVILEGE, refused.getSQLState(), change + ": " + refused.getMessage());
            }
            // Column-level UPDATE on the heads exists only so the appender can lock them; by hand, the triggers refuse.
            SQLException moved = assertThrows(SQLException.class, () -> sql.execute("update chain_head set sequence = sequence + 1"));
            assertTrue(moved.getMessage().contains("moves only when an entry is appended"), moved.getMessage());
            SQLException shrunk = assertThrows(SQLException.class, () -> sql.execute("update merkle_state set tree_size = 0"));
            assertTrue(shrunk.getMessage().contains("only grows"), shrunk.getMessage());
        }
        assertEquals("tamper", AuditFixtures.entries(db, "select outcome from audit_entry where sequence = ?", victim).get(0).get("outcome"));
    }

    /** What the service does on each append, done by hand as the writer: lock the head, insert the next entry. */
    @Test
    void theWriterCanAppend() throws Exception {
        someEntry();
        EventEnvelope event = AuditFixtures.lockEvent(UUID.randomUUID(), "lock-w", "door-w", LockEventType.LOCK_EVENT_TYPE_LOW_BATTERY);
        byte[] envelope = event.toByteArray();
        EntryColumns columns = EntryColumns.derive(envelope);
        long sequence;
        try (Connection writer = writer()) {
            writer.setAutoCommit(false);
            long head;
            byte[] headHash;
            try (Statement sql = writer.createStatement(); ResultSet row = sql.executeQuery("select sequence, hash from chain_head for update")) {
                row.next();
                head = row.getLong(1);
                headHash = row.getBytes(2);
            }
            sequence = head + 1;
            try (PreparedStatement insert = writer.prepareStatement("insert into audit_entry (sequence, event_id, organization_id, "
                    + "occurred_at, recorded_at, event_type, actor_type, actor_id, door_id, lock_id, outcome, reasons, envelope, "
                    + "previous_hash, entry_hash) values (?, ?, ?, ?, now(), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setLong(1, sequence);
                insert.setObject(2, columns.eventId());
                insert.setObject(3, columns.organizationId());
                insert.setTimestamp(4, Timestamp.from(columns.occurredAt()));
                insert.setString(5, columns.eventType());
                insert.setString(6, columns.actorType());
                insert.setString(7, columns.actorId());
                insert.setString(8, columns.doorId());
                insert.setString(9, columns.lockId());
                insert.setString(10, columns.outcome());
                insert.setArray(11, writer.createArrayOf("text", columns.reasons().toArray()));
                insert.setBytes(12, envelope);
                insert.setBytes(13, headHash);
                insert.setBytes(14, EntryHash.compute(sequence, headHash, envelope));
                assertEquals(1, insert.executeUpdate());
            }
            writer.commit();
        }
        assertEquals(sequence, AuditFixtures.entries(db, "select sequence from chain_head").get(0).get("sequence"));
        assertEquals(event.getEventId(), AuditFixtures.entries(db, "select event_id::text as id from audit_entry where sequence = ?", sequence)
                .get(0).get("id"));
    }
}
