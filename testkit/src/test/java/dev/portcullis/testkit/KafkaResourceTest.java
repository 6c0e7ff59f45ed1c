package dev.portcullis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaResourceTest {

    @Test
    void startsOneSharedBrokerThatAcceptsAndServesRecords() throws Exception {
        KafkaResource resource = new KafkaResource();
        Map<String, String> config = resource.start();
        String bootstrap = config.get("kafka.bootstrap.servers");
        assertTrue(bootstrap.startsWith("127.0.0.1:"), bootstrap);
        assertEquals(bootstrap, config.get("mp.messaging.connector.smallrye-kafka.bootstrap.servers"));
        assertEquals(bootstrap, KafkaResource.bootstrapServers());
        assertEquals(config, new KafkaResource().start(), "a second resource reuses the broker");

        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("embedded.auto", "k" + i, ("v" + i).getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
        }
        List<ConsumerRecord<String, byte[]>> records = KafkaResource.records("embedded.auto", 3, Duration.ofSeconds(30));
        assertEquals(3, records.size());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            assertEquals(3, admin.describeTopics(List.of("embedded.auto")).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get("embedded.auto").partitions().size(), "auto-created topics get 3 partitions");
        }
        resource.stop(); // shared: the broker keeps running for the next test class
        assertEquals(bootstrap, KafkaResource.bootstrapServers());
    }

    @Test
    void companionProducesAndConsumesOnCreatedTopics() {
        KafkaResource.createTopics("embedded.created", "embedded.created");
        try (KafkaCompanion companion = KafkaResource.companion()) {
            assertTrue(companion.topics().list().contains("embedded.created"));
            companion.produceStrings().fromRecords(new ProducerRecord<>("embedded.created", "lock-7", "ack"))
                    .awaitCompletion(Duration.ofSeconds(30));
            ConsumerTask<String, String> consumed = companion.consumeStrings().fromTopics("embedded.created", 1)
                    .awaitCompletion(Duration.ofSeconds(30));
            assertEquals("ack", consumed.getFirstRecord().value());
        }
    }
}
