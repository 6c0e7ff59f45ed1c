package dev.portcullis.audit.ingest;

import static dev.portcullis.audit.AuditFixtures.LOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.WAIT;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static dev.portcullis.audit.AuditFixtures.count;
import static dev.portcullis.audit.AuditFixtures.entries;
import static dev.portcullis.audit.AuditFixtures.send;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.audit.chain.Appended;
import dev.portcullis.audit.chain.AuditChain;
import dev.portcullis.audit.chain.EntryColumns;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEventType;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Events from Kafka become chained entries: real broker, real PostgreSQL. */
@QuarkusTest
class IngestTest {

    @Inject
    AgroalDataSource db;

    @Inject
    AuditChain chain;

    @Test
    void anUnlocksSixEventsBecomeSixChainedEntries() {
        UUID organization = UUID.randomUUID();
        String door = UUID.randomUUID().toString();
        String lock = "lock-" + UUID.randomUUID();
        String attempt = UUID.randomUUID().toString();
        List<EventEnvelope> events = AuditFixtures.unlockEvents(organization, "tenant-1", door, lock, attempt);
        AuditFixtures.sendAll(UNLOCK_TOPIC, attempt, events);

        List<Map<String, Object>> rows = new ArrayList<>();
        for (EventEnvelope event : events) {
            rows.add(awaitEntry(db, event.getEventId()));
        }
        String[] types = {"unlock_requested", "unlock_decided", "unlock_dispatched", "unlock_acknowledged", "unlock_failed",
                "unlock_expired"};
        String[] outcomes = {"requested", "permitted", "dispatched", "succeeded", "failed", "expired"};
        for (int i = 0; i < events.size(); i++) {
            Map<String, Object> row = rows.get(i);
            EventEnvelope event = events.get(i);
            assertEquals(types[i], row.get("event_type"));
            assertEquals(outcomes[i], row.get("outcome"));
            assertEquals(organization, row.get("organization_id"));
            assertEquals("user", row.get("actor_type"));
            assertEquals("tenant-1", row.get("actor_id"));
            assertEquals(door, row.get("door_id"));
            assertEquals(attempt, row.get("action_attempt_id"));
            assertEquals(i < 2 ? null : lock, row.get("lock_id"));
            assertEquals(i == 0 ? "app" : null, row.get("method"));
            assertEquals(EntryColumns.micros(Instant.ofEpochSecond(event.getOccurredAt().getSeconds(), event.getOccurredAt().getNanos())),
                    ((Timestamp) row.get("occurred_at")).toInstant());
            assertArrayEquals(event.toByteArray(), (byte[]) row.get("envelope"), "the exact bytes received are kept");

            // Chained: in order on one partition, each entry links to the one before it and re-derives.
            long sequence = (Long) row.get("sequence");
            byte[] previous = (byte[]) row.get("previous_hash");
            if (i > 0) {
                assertEquals((Long) rows.get(i - 1).get("sequence") + 1, sequence, "gap-free");
                assertArrayEquals((byte[]) rows.get(i - 1).get("entry_hash"), previous);
            } else if (sequence == 1) {
                assertArrayEquals(EntryHash.genesis(), previous);
            }
            assertArrayEquals(EntryHash.compute(sequence, previous, event.toByteArray()), (byte[]) row.get("entry_hash"));
        }
        assertArrayEquals(new String[] {"grant_matched"}, (String[]) rows.get(1).get("reasons"));
        assertArrayEquals(new String[] {"LOCK_OFFLINE"}, (String[]) rows.get(4).get("reasons"));
        assertArrayEquals(new String[0], (String[]) rows.get(0).get("reasons"));
    }

    @Test
    void aRedeliveredEventIsRecordedOnce() {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope tamper = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_TAMPER);
        EventEnvelope after = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_LOW_BATTERY);
        send(LOCK_TOPIC, lock, tamper.toByteArray());
        send(LOCK_TOPIC, lock, tamper.toByteArray());
        send(LOCK_TOPIC, lock, after.toByteArray());

        // Same key, same partition: once the later event is in, both copies have been consumed.
        Map<String, Object> first = awaitEntry(db, tamper.getEventId());
        Map<String, Object> next = awaitEntry(db, after.getEventId());
        assertEquals(1, count(db, "select count(*) from audit_entry where event_id = ?::uuid", tamper.getEventId()));
        assertEquals(2, count(db, "select count(*) from audit_entry where lock_id = ?", lock), "the tamper event and the one after it");
        assertEquals("tamper", first.get("outcome"));
        assertTrue((Long) next.get("sequence") > (Long) first.get("sequence"));
    }

    @Test
    void anEventIdReusedWithOtherContentIsDeadLetteredNotRecorded() {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope original = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_DURESS);
        EventEnvelope impostor = original.toBuilder().setOrganizationId(UUID.randomUUID().toString()).build();
        EventEnvelope marker = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_DOOR_STATE);
        send(LOCK_TOPIC, lock, original.toByteArray());
        send(LOCK_TOPIC, lock, impostor.toByteArray());
        send(LOCK_TOPIC, lock, marker.toByteArray());

        awaitEntry(db, marker.getEventId());
        Map<String, Object> kept = awaitEntry(db, original.getEventId());
        assertArrayEquals(original.toByteArray(), (byte[]) kept.get("envelope"), "the first recording stands");
        List<Map<String, Object>> dead = entries(db, "select * from dead_letter where payload = ?", (Object) impostor.toByteArray());
        assertEquals(1, dead.size());
        assertTrue(((String) dead.get(0).get("error")).contains("different content"));
    }

    @Test
    void aPoisonRecordIsDeadLetteredAndTheNextRecordIsStillIngested() {
        String secret = "secret-" + UUID.randomUUID();
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger log = java.util.logging.Logger.getLogger(DeadLetters.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                warnings.add(record instanceof org.jboss.logmanager.ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(capture);
        try {
            poisonThenGood(secret);
        } finally {
            log.removeHandler(capture);
        }
        assertTrue(warnings.stream().anyMatch(w -> w.contains("not an EventEnvelope")), warnings.toString());
        assertTrue(warnings.stream().noneMatch(w -> w.contains(secret)), "the payload never reaches the log");
    }

    private void poisonThenGood(String secret) {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        byte[] poison = ("definitely not protobuf " + secret).getBytes(StandardCharsets.UTF_8);
        EventEnvelope noId = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_TAMPER)
                .toBuilder().clearEventId().build();
        EventEnvelope good = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_LOCKOUT);
        send(LOCK_TOPIC, lock, poison);
        send(LOCK_TOPIC, lock, noId.toByteArray());
        send(LOCK_TOPIC, lock, null);
        send(LOCK_TOPIC, lock, good.toByteArray());

        Map<String, Object> entry = awaitEntry(db, good.getEventId());
        assertEquals("lockout", entry.get("outcome"));

        List<Map<String, Object>> dead = entries(db, "select * from dead_letter where payload = ?", (Object) poison);
        assertEquals(1, dead.size());
        assertEquals(LOCK_TOPIC, dead.get(0).get("topic"));
        assertTrue(((String) dead.get(0).get("error")).startsWith("not an EventEnvelope"));
        long poisonOffset = (Long) dead.get(0).get("kafka_offset");
        List<Map<String, Object>> missingId = entries(db, "select * from dead_letter where topic = ? and kafka_partition = ? "
                + "and kafka_offset = ?", LOCK_TOPIC, dead.get(0).get("kafka_partition"), poisonOffset + 1);
        assertEquals(1, missingId.size());
        assertEquals("event_id is missing", missingId.get(0).get("error"));
        List<Map<String, Object>> tombstone = entries(db, "select * from dead_letter where topic = ? and kafka_partition = ? "
                + "and kafka_offset = ?", LOCK_TOPIC, dead.get(0).get("kafka_partition"), poisonOffset + 2);
        assertEquals(1, tombstone.size());
        assertNull(tombstone.get(0).get("payload"));
        assertEquals(0, count(db, "select count(*) from audit_entry where lock_id = ? and outcome = 'tamper'", lock));
    }

    @Test
    void concurrentAppendsNeverForkTheChain() throws Exception {
        UUID organization = UUID.randomUUID();
        int writers = 6;
        int perWriter = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<List<Appended>>> results = new ArrayList<>();
        try {
            for (int w = 0; w < writers; w++) {
                String lock = "lock-" + w + "-" + UUID.randomUUID();
                Callable<List<Appended>> writer = () -> {
                    List<Appended> appended = new ArrayList<>();
                    for (int i = 0; i < perWriter; i++) {
                        byte[] bytes = AuditFixtures.lockEvent(organization, lock, "door-x", LockEventType.LOCK_EVENT_TYPE_DOOR_STATE)
                                .toByteArray();
                        EntryColumns columns = EntryColumns.derive(bytes);
                        appended.add(append(bytes, columns));
                    }
                    return appended;
                };
                results.add(pool.submit(writer));
            }
            List<Long> sequences = new ArrayList<>();
            for (Future<List<Appended>> result : results) {
                for (Appended appended : result.get()) {
                    assertEquals(Appended.Outcome.RECORDED, appended.outcome());
                    sequences.add(appended.sequence());
                }
            }
            assertEquals(writers * perWriter, sequences.stream().distinct().count(), "every append got its own sequence");
        } finally {
            pool.shutdownNow();
        }

        // The whole chain so far is one line: consecutive sequences, each linked to its predecessor.
        List<Map<String, Object>> all = entries(db, "select sequence, previous_hash, entry_hash, envelope from audit_entry order by sequence");
        byte[] previous = EntryHash.genesis();
        for (int i = 0; i < all.size(); i++) {
            Map<String, Object> row = all.get(i);
            assertEquals(i + 1L, row.get("sequence"));
            assertArrayEquals(previous, (byte[]) row.get("previous_hash"));
            assertArrayEquals(EntryHash.compute(i + 1L, previous, (byte[]) row.get("envelope")), (byte[]) row.get("entry_hash"));
            previous = (byte[]) row.get("entry_hash");
        }
        Map<String, Object> head = entries(db, "select sequence, hash from chain_head").get(0);
        assertEquals((long) all.size(), head.get("sequence"));
        assertTrue(Arrays.equals(previous, (byte[]) head.get("hash")));
    }

    private Appended append(byte[] bytes, EntryColumns columns) throws Exception {
        try {
            return VertxContextSupport.subscribeAndAwait(() -> chain.append(bytes, columns));
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Test
    void theSameEventAppendedTwiceDirectlyIsADuplicate() throws Throwable {
        byte[] bytes = AuditFixtures.event(UUID.randomUUID(), ActorType.ACTOR_TYPE_SERVICE, "registry",
                e -> e.setLockEnrolled(dev.portcullis.proto.events.v1.LockEnrolled.newBuilder().setLockId("l").setDoorId("d")))
                .toByteArray();
        EntryColumns columns = EntryColumns.derive(bytes);
        Appended first = VertxContextSupport.subscribeAndAwait(() -> chain.append(bytes, columns));
        Appended again = VertxContextSupport.subscribeAndAwait(() -> chain.append(bytes, columns));
        assertEquals(Appended.Outcome.RECORDED, first.outcome());
        assertEquals(Appended.Outcome.DUPLICATE, again.outcome());
        assertEquals(first.sequence(), again.sequence());
        await().atMost(WAIT).until(() -> count(db, "select count(*) from audit_entry where event_id = ?", columns.eventId()) == 1);
    }
}
