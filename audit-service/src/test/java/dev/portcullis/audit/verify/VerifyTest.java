package dev.portcullis.audit.verify;

import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static dev.portcullis.audit.AuditFixtures.entries;
import static dev.portcullis.audit.AuditFixtures.execute;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/audit/verify against the real stored chain, intact and tampered; the database's append-only rule. */
@QuarkusTest
class VerifyTest {

    @Inject
    AgroalDataSource db;

    private UUID organization;
    private List<EventEnvelope> events;
    private long first;

    @BeforeEach
    void someEntries() {
        organization = UUID.randomUUID();
        String attempt = UUID.randomUUID().toString();
        events = AuditFixtures.unlockEvents(organization, "tenant-v", UUID.randomUUID().toString(), "lock-v", attempt);
        AuditFixtures.sendAll(UNLOCK_TOPIC, attempt, events);
        first = (Long) awaitEntry(db, events.get(0).getEventId()).get("sequence");
        events.forEach(event -> awaitEntry(db, event.getEventId()));
    }

    private String operator() {
        return TestIssuer.shared().token("ops", organization.toString(), "operator").sign();
    }

    private JsonPath verify(Map<String, ?> range) {
        return given().auth().oauth2(operator()).queryParams(range)
                .when().get("/v1/audit/verify")
                .then().statusCode(200).contentType("application/json")
                .extract().jsonPath();
    }

    private Map<String, Object> head() {
        return entries(db, "select sequence, hash from chain_head").get(0);
    }

    @Test
    void anIntactChainVerifies() {
        JsonPath report = verify(Map.of());
        assertTrue(report.getBoolean("verified"));
        long headSequence = report.getLong("head.sequence");
        assertTrue(headSequence >= first + 5);
        assertEquals(headSequence, report.getLong("checked"), "from 1 to the head");
        assertNull(report.get("firstBadSequence"));
        assertNull(report.get("failure"));
        assertEquals(1, report.getLong("from"));
        assertEquals(headSequence, report.getLong("to"));
        byte[] headHash = (byte[]) entries(db, "select entry_hash from audit_entry where sequence = ?", headSequence).get(0).get("entry_hash");
        assertEquals(EntryHash.hex(headHash), report.getString("head.hash"));

        JsonPath range = verify(Map.of("from", first + 1, "to", first + 4));
        assertTrue(range.getBoolean("verified"));
        assertEquals(4, range.getLong("checked"));
        assertEquals(first + 1, range.getLong("from"));
        assertEquals(first + 4, range.getLong("to"));
    }

    @Test
    void anAlteredEnvelopeIsReportedAsTheFirstBadEntry() throws SQLException {
        long victim = first + 2;
        byte[] original = (byte[]) entries(db, "select envelope from audit_entry where sequence = ?", victim).get(0).get("envelope");
        byte[] forged = original.clone();
        forged[forged.length - 1] ^= 0x01;
        try {
            tamper("update audit_entry set envelope = ? where sequence = ?", forged, victim);
            JsonPath report = verify(Map.of());
            assertFalse(report.getBoolean("verified"));
            assertEquals(victim, report.getLong("firstBadSequence"));
            assertEquals("HASH_MISMATCH", report.getString("failure"));
            assertEquals(victim, report.getLong("checked"));

            assertTrue(verify(Map.of("to", victim - 1)).getBoolean("verified"), "the entries before it still verify");
            JsonPath fromVictim = verify(Map.of("from", victim));
            assertFalse(fromVictim.getBoolean("verified"));
            assertEquals(victim, fromVictim.getLong("firstBadSequence"));
        } finally {
            tamper("update audit_entry set envelope = ? where sequence = ?", original, victim);
        }
        assertTrue(verify(Map.of()).getBoolean("verified"), "restored");
    }

    @Test
    void aColumnEditedToHideAnEntryIsReported() throws SQLException {
        long victim = first + 1;
        try {
            // Moving an entry to another organization would hide it from this one's operators.
            tamper("update audit_entry set organization_id = ? where sequence = ?", UUID.randomUUID(), victim);
            JsonPath report = verify(Map.of("from", first));
            assertFalse(report.getBoolean("verified"));
            assertEquals(victim, report.getLong("firstBadSequence"));
            assertEquals("COLUMNS_MISMATCH", report.getString("failure"));
        } finally {
            tamper("update audit_entry set organization_id = ? where sequence = ?", organization, victim);
        }
        assertTrue(verify(Map.of("from", first)).getBoolean("verified"));
    }

    @Test
    void theDatabaseRefusesUpdatesDeletesAndTruncation() {
        long victim = first + 3;
        SQLException update = assertThrows(SQLException.class,
                () -> execute(db, "update audit_entry set outcome = 'permitted' where sequence = ?", victim));
        assertTrue(update.getMessage().contains("append-only"), update.getMessage());
        SQLException delete = assertThrows(SQLException.class, () -> execute(db, "delete from audit_entry where sequence = ?", victim));
        assertTrue(delete.getMessage().contains("append-only"), delete.getMessage());
        SQLException truncate = assertThrows(SQLException.class, () -> execute(db, "truncate audit_entry"));
        assertTrue(truncate.getMessage().contains("append-only"), truncate.getMessage());
        assertEquals("succeeded", entries(db, "select outcome from audit_entry where sequence = ?", victim).get(0).get("outcome"));
    }

    @Test
    void theDatabaseRefusesAnEntryThatDoesNotExtendTheHead() {
        Map<String, Object> head = head();
        long headSequence = (Long) head.get("sequence");
        byte[] headHash = (byte[]) head.get("hash");
        byte[] envelope = AuditFixtures.lockEvent(organization, "lock-f", "door-f",
                dev.portcullis.proto.gateway.v1.LockEventType.LOCK_EVENT_TYPE_TAMPER).toByteArray();
        String insert = "insert into audit_entry (sequence, event_id, recorded_at, event_type, envelope, previous_hash, entry_hash) "
                + "values (?, ?, now(), 'lock_event_reported', ?, ?, ?)";
        // A fork: a second entry after an older one.
        byte[] olderHash = (byte[]) entries(db, "select entry_hash from audit_entry where sequence = ?", first).get(0).get("entry_hash");
        assertThrows(SQLException.class, () -> execute(db, insert, first + 1, UUID.randomUUID(), envelope, olderHash,
                EntryHash.compute(first + 1, olderHash, envelope)));
        // A gap.
        assertThrows(SQLException.class, () -> execute(db, insert, headSequence + 2, UUID.randomUUID(), envelope, headHash,
                EntryHash.compute(headSequence + 2, headHash, envelope)));
        // The right number, linked to something other than the head.
        SQLException wrongLink = assertThrows(SQLException.class, () -> execute(db, insert, headSequence + 1, UUID.randomUUID(),
                envelope, olderHash, EntryHash.compute(headSequence + 1, olderHash, envelope)));
        assertTrue(wrongLink.getMessage().contains("does not extend the chain head"), wrongLink.getMessage());
        Map<String, Object> after = head();
        assertEquals(headSequence, after.get("sequence"));
        assertArrayEquals(headHash, (byte[]) after.get("hash"));
    }

    @Test
    void onlyOperatorsMayVerify() {
        given().when().get("/v1/audit/verify").then().statusCode(401);
        given().auth().oauth2(TestIssuer.shared().token("tenant-v", organization.toString(), "tenant").sign())
                .when().get("/v1/audit/verify")
                .then().statusCode(403);
    }

    @Test
    void badRangesAreProblems() {
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("from", "0"), Map.<String, Object>of("from", "x"),
                Map.<String, Object>of("to", "-1"), Map.<String, Object>of("from", "5", "to", "4"))) {
            given().auth().oauth2(operator()).queryParams(bad)
                    .when().get("/v1/audit/verify")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://portcullis.dev/problems/invalid-parameter"));
        }
    }

    @Test
    void aRangeBeyondTheHeadChecksNothingMore() {
        long headSequence = (Long) head().get("sequence");
        JsonPath report = verify(Map.of("from", headSequence + 100));
        assertTrue(report.getBoolean("verified"));
        assertEquals(0, report.getLong("checked"));
    }

    /** Alters a stored entry the way an attacker with database access would: with the append-only trigger off. */
    private void tamper(String sql, Object value, long sequence) throws SQLException {
        execute(db, "alter table audit_entry disable trigger audit_entry_append_only");
        try {
            assertEquals(1, execute(db, sql, value, sequence));
        } finally {
            execute(db, "alter table audit_entry enable trigger audit_entry_append_only");
        }
    }
}
