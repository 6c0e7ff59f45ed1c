package dev.portcullis.audit.ingest;

import static dev.portcullis.audit.AuditFixtures.LOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.WAIT;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static dev.portcullis.audit.AuditFixtures.count;
import static dev.portcullis.audit.AuditFixtures.entries;
import static dev.portcullis.audit.AuditFixtures.execute;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEventType;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** At-least-once: offsets move only past recorded entries; a record that can never be written does not stall the log. */
@QuarkusTest
class ConsumerReliabilityTest {

    @Inject
    AgroalDataSource db;

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static RecordMetadata sendAndLocate(String key, byte[] value) throws Exception {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers"));
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(properties)) {
            return producer.send(new ProducerRecord<>(LOCK_TOPIC, key, value)).get(30, TimeUnit.SECONDS);
        }
    }

    /** The group's committed offset on the partition: the next record it would read after a restart. */
    private static long committed(TopicPartition partition) throws Exception {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config("kafka.bootstrap.servers"));
        try (Admin admin = Admin.create(properties)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets(config("mp.messaging.incoming.audit-events.group.id"))
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata offset = offsets.get(partition);
            return offset == null ? -1 : offset.offset();
        }
    }

    @Test
    void theOffsetIsCommittedOnlyAfterTheEntryIsWritten() throws Exception {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope event = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_TAMPER);
        RecordMetadata sent;
        TopicPartition partition;
        // Hold the chain head: the consumer receives the record but cannot write its entry.
        try (Connection blocker = db.getConnection()) {
            blocker.setAutoCommit(false);
            blocker.createStatement().execute("select * from chain_head for update");
            sent = sendAndLocate(lock, event.toByteArray());
            partition = new TopicPartition(sent.topic(), sent.partition());
            // Longer than the commit interval (5 s): a consumer that committed on receipt would have by now.
            Thread.sleep(7_000);
            assertEquals(0, count(db, "select count(*) from audit_entry where event_id = ?::uuid", event.getEventId()));
            assertTrue(committed(partition) <= sent.offset(), "not committed past a record whose entry is not written");
            blocker.rollback();
        }
        awaitEntry(db, event.getEventId());
        long offset = sent.offset();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(500)).until(() -> committed(partition) > offset);
    }

    @Test
    void aRecordThatCanNeverBeWrittenIsDeadLetteredAndTheLogMovesOn() throws Exception {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope unwritable = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_TAMPER);
        EventEnvelope next = AuditFixtures.lockEvent(organization, lock, "door-1", LockEventType.LOCK_EVENT_TYPE_LOW_BATTERY);
        execute(db, "create function refuse_for_test() returns trigger language plpgsql as $$ begin "
                + "if new.event_id = '" + unwritable.getEventId() + "' then raise exception 'refused for this test'; end if; "
                + "return new; end $$");
        execute(db, "create trigger refuse_for_test before insert on audit_entry for each row execute function refuse_for_test()");
        try {
            AuditFixtures.send(LOCK_TOPIC, lock, unwritable.toByteArray());
            AuditFixtures.send(LOCK_TOPIC, lock, next.toByteArray());
            awaitEntry(db, next.getEventId());
        } finally {
            execute(db, "drop trigger refuse_for_test on audit_entry");
            execute(db, "drop function refuse_for_test()");
        }
        assertEquals(0, count(db, "select count(*) from audit_entry where event_id = ?::uuid", unwritable.getEventId()));
        List<Map<String, Object>> dead = entries(db, "select * from dead_letter where payload = ?", (Object) unwritable.toByteArray());
        assertEquals(1, dead.size());
        assertTrue(((String) dead.get(0).get("error")).startsWith("could not be recorded: "), (String) dead.get(0).get("error"));
        assertArrayEquals(unwritable.toByteArray(), (byte[]) dead.get(0).get("payload"));
    }
}
