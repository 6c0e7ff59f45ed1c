package dev.portcullis.testkit;

import dev.portcullis.testkit.internal.EmbeddedKafka;
import dev.portcullis.testkit.internal.JvmShared;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A real Kafka broker (KRaft, in this JVM) for {@code @QuarkusTest}s.
 * <pre>{@code
 * @QuarkusTestResource(KafkaResource.class)
 * }</pre>
 * The broker starts on first use on a free port of 127.0.0.1 and is shared by every test class in the JVM (no
 * restart between classes); it stops, and its log directories are deleted, when the JVM exits. Topics are
 * auto-created (3 partitions) on first use; {@link #createTopics(String...)} creates them up front.
 * {@link #start()} returns {@code kafka.bootstrap.servers} and
 * {@code mp.messaging.connector.smallrye-kafka.bootstrap.servers}.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        String bootstrap = bootstrapServers();
        return Map.of("kafka.bootstrap.servers", bootstrap,
                "mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap);
    }

    @Override
    public void stop() {
        // Shared by every test class of this JVM; stopped at JVM exit.
    }

    /** {@code 127.0.0.1:<port>} of the shared broker (starting it if no test resource did yet). */
    public static String bootstrapServers() {
        return JvmShared.callSystemCopy(EmbeddedKafka.class, "bootstrapServers").orElseGet(EmbeddedKafka::bootstrapServers);
    }

    /**
     * A new SmallRye {@link KafkaCompanion} on the shared broker, to produce, consume and inspect topics in
     * assertions, e.g. {@code companion.consume(byte[].class).fromTopics("t", 2).awaitCompletion()}. Close it
     * (try-with-resources) when done.
     */
    public static KafkaCompanion companion() {
        return new KafkaCompanion(bootstrapServers(), Duration.ofSeconds(30));
    }

    /** Creates the topics (3 partitions, replication factor 1) unless they exist. */
    public static void createTopics(String... topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : topics) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, 3, (short) 1));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create topics " + List.of(topics) + ": " + e.getCause(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("could not create topics " + List.of(topics) + " within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Reads {@code topic} from the beginning (a fresh consumer group) until {@code expected} records arrived or
     * {@code timeout} passed, and returns what arrived (keys as strings, values as bytes; maybe fewer than
     * expected, so assert on the size).
     */
    public static List<ConsumerRecord<String, byte[]>> records(String topic, int expected, Duration timeout) {
        return records(bootstrapServers(), topic, expected, timeout);
    }

    /** {@link #records(String, int, Duration)} against any broker (e.g. a {@link KafkaServer}). */
    public static List<ConsumerRecord<String, byte[]>> records(String bootstrapServers, String topic, int expected,
            Duration timeout) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "testkit-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> received = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            while (received.size() < expected && Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    received.add(record);
                }
            }
        }
        return received;
    }
}
