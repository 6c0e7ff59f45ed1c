package dev.portcullis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaServerTest {

    @TempDir
    Path dir;

    @Test
    void standaloneBrokerAcceptsRecordsAndStopsWithoutLeavingAProcess() throws Exception {
        Path dataDir = dir.resolve("kafka");
        int port = freePort();
        int controllerPort = freePort();
        String bootstrap = KafkaServer.start(dataDir, port, controllerPort);
        long pid = KafkaServer.pid(dataDir).orElseThrow();
        try {
            assertEquals("127.0.0.1:" + port, bootstrap);
            assertEquals(Long.toString(pid), Files.readString(dataDir.resolve("kafka.pid")).trim());
            // a second start of the same directory reuses the running broker
            assertEquals(bootstrap, KafkaServer.start(dataDir, port, controllerPort));
            assertEquals(pid, KafkaServer.pid(dataDir).orElseThrow());

            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                    new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>("standalone.test", "door-1", "unlocked".getBytes(StandardCharsets.UTF_8)))
                        .get(30, TimeUnit.SECONDS);
            }
            List<ConsumerRecord<String, byte[]>> records = KafkaResource.records(bootstrap, "standalone.test", 1,
                    Duration.ofSeconds(30));
            assertEquals(1, records.size());
            assertEquals("door-1", records.get(0).key());
            assertEquals("unlocked", new String(records.get(0).value(), StandardCharsets.UTF_8));
            assertEquals(3, records.get(0).partition() < 3 ? 3 : -1, "auto-created with 3 partitions");
        } finally {
            assertTrue(KafkaServer.stop(dataDir));
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "broker process " + pid + " is gone");
        assertFalse(Files.exists(dataDir.resolve("kafka.pid")));
        assertFalse(KafkaServer.isRunning(dataDir));
        assertFalse(KafkaServer.stop(dataDir), "stopping again is a no-op");
        assertTrue(Files.readString(dataDir.resolve("kafka.log")).contains("Kafka Server started")
                || Files.size(dataDir.resolve("kafka.log")) > 0, "the broker logged to kafka.log");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        }
    }
}
