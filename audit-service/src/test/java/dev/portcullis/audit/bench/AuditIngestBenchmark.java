package dev.portcullis.audit.bench;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark (not a test: excluded from {@code ./mvnw verify}; run with
 * {@code ./mvnw -pl audit-verifier,audit-service verify -Pbenchmark -Dtest=AuditIngestBenchmark}; knob
 * {@code -Dbench.events=20000}). Produces unlock-path events to the real broker as fast as the producer
 * goes and measures until every one is a chained entry in PostgreSQL, with tree heads signed every second
 * meanwhile (test profile); then how long until a signed head covers them all. Writes
 * {@code audit-service/target/benchmarks/audit-ingest.md}.
 */
@QuarkusTest
@Tag("benchmark")
class AuditIngestBenchmark {

    static final int EVENTS = Integer.getInteger("bench.events", 20_000);

    @Inject
    AgroalDataSource db;

    @Test
    void ingest() throws Exception {
        UUID organization = UUID.randomUUID();
        List<byte[]> events = new ArrayList<>(EVENTS);
        while (events.size() < EVENTS) {
            for (EventEnvelope event : AuditFixtures.unlockEvents(organization, "tenant-b", UUID.randomUUID().toString(), "lock-b",
                    UUID.randomUUID().toString())) {
                if (events.size() < EVENTS) {
                    events.add(event.toByteArray());
                }
            }
        }
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        long before = AuditFixtures.count(db, "select count(*) from audit_entry");
        long start;
        double produced;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config)) {
            start = System.nanoTime();
            List<Future<RecordMetadata>> sent = new ArrayList<>(EVENTS);
            for (int i = 0; i < EVENTS; i++) {
                sent.add(producer.send(new ProducerRecord<>(AuditFixtures.UNLOCK_TOPIC, "bench-" + (i % 16), events.get(i))));
            }
            for (Future<RecordMetadata> future : sent) {
                future.get();
            }
            produced = (System.nanoTime() - start) / 1e9;
        }
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> AuditFixtures.count(db, "select count(*) from audit_entry where organization_id = ?", organization) == EVENTS);
        double recorded = (System.nanoTime() - start) / 1e9;
        long head = (Long) AuditFixtures.entries(db, "select sequence from chain_head").get(0).get("sequence");
        String operator = TestIssuer.shared().token("ops-b", organization.toString(), "operator").sign();
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(operator).get("/v1/audit/tree-heads/latest").jsonPath().getLong("treeSize") >= head);
        double signed = (System.nanoTime() - start) / 1e9;
        assertTrue(AuditFixtures.count(db, "select count(*) from audit_entry") >= before + EVENTS);

        long verifyStart = System.nanoTime();
        boolean verified = given().auth().oauth2(operator).queryParam("from", head - EVENTS + 1).queryParam("to", head)
                .get("/v1/audit/verify").jsonPath().getBoolean("verified");
        double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;
        assertTrue(verified);

        List<String> table = List.of("| events | produced in | all recorded after | ingest rate | signed head covering all after | GET /verify of those entries |",
                "|---|---|---|---|---|---|",
                String.format(Locale.ROOT, "| %,d | %.2f s | %.2f s | %,.0f events/s | %.2f s | %.2f s (%,.0f entries/s) |", EVENTS, produced,
                        recorded, EVENTS / recorded, signed, verifySeconds, EVENTS / verifySeconds));
        Path out = Path.of("target", "benchmarks", "audit-ingest.md");
        Files.createDirectories(out.getParent());
        Files.write(out, table);
        table.forEach(System.out::println);
    }
}
