package dev.portcullis.audit.database;

import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEventType;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The running service itself — its reactive pool, which Hibernate Reactive, the chain and the outbox use — is
 * the insert-only role: it appended the entries it is now refused to change. (The tests' own JDBC datasource is
 * the superuser the test database was created with; WriterRoleTest checks the role's grants directly.)
 */
@QuarkusTest
class ServiceRoleTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource db;

    @Test
    void theServiceConnectsAsTheWriterRole() {
        String user = pool.query("SELECT current_user").execute().await().atMost(WAIT).iterator().next().getString(0);
        assertEquals("portcullis_audit_writer", user);
    }

    @Test
    void theServicesConnectionIsRefusedChangesToTheLog() {
        EventEnvelope event = AuditFixtures.lockEvent(UUID.randomUUID(), "lock-s", "door-s", LockEventType.LOCK_EVENT_TYPE_TAMPER);
        AuditFixtures.send(UNLOCK_TOPIC, "s", event.toByteArray());
        long sequence = (Long) awaitEntry(db, event.getEventId()).get("sequence");
        for (String change : List.of(
                "UPDATE audit_entry SET outcome = 'permitted' WHERE sequence = " + sequence,
                "DELETE FROM audit_entry WHERE sequence = " + sequence,
                "TRUNCATE audit_entry",
                "UPDATE audit_entry_credential SET credential_id = 'x'",
                "DELETE FROM tree_head",
                "ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")) {
            Throwable refused = pool.query(change).execute().replaceWith((Throwable) null)
                    .onFailure().recoverWithItem(failure -> failure).await().atMost(WAIT);
            assertTrue(refused instanceof PgException, change + " was not refused");
            PgException pg = (PgException) refused;
            assertEquals("42501", pg.getSqlState(), change + ": " + pg.getMessage());
            // The privilege check, not the append-only trigger (which would say "append-only"): the role has no such right.
            assertTrue(pg.getErrorMessage().startsWith("permission denied") || pg.getErrorMessage().startsWith("must be owner"),
                    change + ": " + pg.getErrorMessage());
        }
        assertEquals(1, AuditFixtures.count(db, "select count(*) from audit_entry where sequence = ? and outcome = 'tamper'", sequence));
    }
}
