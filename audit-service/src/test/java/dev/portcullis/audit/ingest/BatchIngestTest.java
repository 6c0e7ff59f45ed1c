package dev.portcullis.audit.ingest;

import static dev.portcullis.audit.AuditFixtures.LOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.WAIT;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static dev.portcullis.audit.AuditFixtures.count;
import static dev.portcullis.audit.AuditFixtures.entries;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * A Kafka poll's records are appended in one transaction, and everything a single append guaranteed still
 * holds inside a batch: gap-free chained sequences, one entry per event id (a repeat within the batch is a
 * duplicate, the same id with other bytes a dead letter), and poison records kept as dead letters without
 * dropping the good records around them.
 */
@QuarkusTest
class BatchIngestTest {

    @Inject
    AgroalDataSource db;

    /** Sends the values in one producer batch (one record batch on the broker, so one poll) to one partition. */
    private static void sendTogether(String key, List<byte[]> values) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 1000);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 1 << 20);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            for (byte[] value : values) {
                producer.send(new ProducerRecord<>(LOCK_TOPIC, key, value));
            }
            producer.flush();
        }
    }

    @Test
    void aPollIsOneTransactionAndKeepsEveryPropertyOfTheChain() {
        UUID organization = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        List<EventEnvelope> good = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            good.add(AuditFixtures.lockEvent(organization, lock, "door-b", LockEventType.LOCK_EVENT_TYPE_DOOR_STATE));
        }
        byte[] poison = "not an envelope".getBytes(StandardCharsets.UTF_8);
        EventEnvelope conflicting = good.get(3).toBuilder().setSource("someone-else").build();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            values.add(good.get(i).toByteArray());
            if (i == 10) {
                values.add(poison);
            }
            if (i == 20) {
                values.add(good.get(5).toByteArray()); // a repeat within the batch: recorded once
                values.add(conflicting.toByteArray()); // same id, other bytes: a dead letter
            }
        }
        sendTogether(lock, values);
        good.forEach(event -> awaitEntry(db, event.getEventId()));
        await().atMost(WAIT).until(() -> count(db, "select count(*) from dead_letter where payload = ? or payload = ?",
                poison, conflicting.toByteArray()) == 2);

        List<Map<String, Object>> rows = entries(db, "select sequence, event_id, recorded_at, previous_hash, entry_hash, envelope "
                + "from audit_entry where actor_id = ? order by sequence", lock);
        assertEquals(good.size(), rows.size(), "one entry per event id");
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(good.get(i).getEventId(), rows.get(i).get("event_id").toString(), "in the order received");
            assertArrayEquals(good.get(i).toByteArray(), (byte[]) rows.get(i).get("envelope"), "the first bytes of the id are kept");
            if (i > 0) {
                assertEquals((Long) rows.get(i - 1).get("sequence") + 1, rows.get(i).get("sequence"), "no gap inside the batch");
                assertArrayEquals((byte[]) rows.get(i - 1).get("entry_hash"), (byte[]) rows.get(i).get("previous_hash"));
            }
            Map<String, Object> row = rows.get(i);
            assertArrayEquals(EntryHash.compute((Long) row.get("sequence"), (byte[]) row.get("previous_hash"), (byte[]) row.get("envelope")),
                    (byte[]) row.get("entry_hash"));
        }
        // One transaction for the poll: every entry carries the same recorded_at (one per append before batching).
        Set<Object> recordedAt = new HashSet<>();
        rows.forEach(row -> recordedAt.add(row.get("recorded_at")));
        assertEquals(1, recordedAt.size(), "the poll's entries were appended in one transaction");

        List<Map<String, Object>> dead = entries(db, "select error from dead_letter where payload = ?", (Object) conflicting.toByteArray());
        assertTrue(((String) dead.get(0).get("error")).contains("different content"), (String) dead.get(0).get("error"));

        String operator = TestIssuer.shared().token("ops", organization.toString(), "operator").sign();
        given().auth().oauth2(operator).queryParam("from", rows.get(0).get("sequence"))
                .queryParam("to", rows.get(rows.size() - 1).get("sequence")).when().get("/v1/audit/verify").then().statusCode(200)
                .body("verified", org.hamcrest.Matchers.equalTo(true));
    }
}
