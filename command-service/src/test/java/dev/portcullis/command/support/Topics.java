package dev.portcullis.command.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.testkit.KafkaResource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what command-service published, from the real broker. */
public final class Topics {

    private Topics() {
    }

    /** The events on {@code topic} with record key {@code key}, read from the start; fails unless exactly {@code expected} arrive within 20 s. */
    public static List<EventEnvelope> eventsFor(String topic, String key, int expected) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<EventEnvelope> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            while (events.size() < expected && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(250))) {
                    if (key.equals(record.key())) {
                        try {
                            events.add(EventEnvelope.parseFrom(record.value()));
                        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                            throw new AssertionError("not an EventEnvelope", e);
                        }
                    }
                }
            }
        }
        assertEquals(expected, events.size(), "events for " + key);
        return events;
    }
}
