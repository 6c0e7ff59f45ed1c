package dev.portcullis.registry;

import dev.portcullis.testkit.KafkaResource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what actually reached the shared Kafka broker on the registry topic. */
public final class RegistryTopic {

    private RegistryTopic() {
    }

    /**
     * Every record keyed {@code key} on the registry topic: waits up to {@code timeout} for the first,
     * then keeps reading for {@code quiet} more so that a duplicate would be seen too.
     */
    public static List<ConsumerRecord<String, byte[]>> recordsKeyed(String key, Duration timeout, Duration quiet) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "registry-test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of();
            while (partitions.isEmpty() && Instant.now().isBefore(deadline)) {
                List<PartitionInfo> infos = consumer.partitionsFor(RegistryFixtures.TOPIC, Duration.ofSeconds(5));
                partitions = infos == null ? List.of()
                        : infos.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        found.add(record);
                    }
                }
                if (!found.isEmpty() && deadline.isAfter(Instant.now().plus(quiet))) {
                    deadline = Instant.now().plus(quiet);
                }
            }
        }
        return found;
    }
}
