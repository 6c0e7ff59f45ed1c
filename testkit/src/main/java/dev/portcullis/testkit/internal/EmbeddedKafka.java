package dev.portcullis.testkit.internal;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The in-JVM KRaft broker behind {@link dev.portcullis.testkit.KafkaResource}: started on first use, shared by
 * every test class of the JVM, closed (and its log directories deleted) when the JVM exits. Lives in the system
 * class loader's copy of the test kit (see {@link JvmShared}).
 */
public final class EmbeddedKafka {

    private static final List<Logger> QUIETED = new ArrayList<>();
    private static EmbeddedKafkaBroker broker;
    private static String bootstrap;

    private EmbeddedKafka() {
    }

    /** {@code 127.0.0.1:<port>} of the shared broker, starting it if needed. */
    public static synchronized String bootstrapServers() {
        if (bootstrap != null) {
            return bootstrap;
        }
        quietBrokerLogging();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= 3 && bootstrap == null; attempt++) {
            int port = freePort();
            int controllerPort = freePort();
            EmbeddedKafkaBroker candidate = new EmbeddedKafkaBroker()
                    .withKafkaHost("127.0.0.1")
                    .withKafkaPort(port)
                    .withControllerPort(controllerPort)
                    .withDeleteLogDirsOnClose(true)
                    .withAdditionalProperties(properties -> {
                        properties.put("auto.create.topics.enable", "true");
                        properties.put("num.partitions", "3");
                        properties.put("offsets.topic.num.partitions", "3");
                        properties.put("offsets.topic.replication.factor", "1");
                        properties.put("transaction.state.log.replication.factor", "1");
                        properties.put("transaction.state.log.min.isr", "1");
                        properties.put("transaction.state.log.num.partitions", "3");
                        properties.put("share.coordinator.state.topic.replication.factor", "1");
                        properties.put("share.coordinator.state.topic.min.isr", "1");
                        properties.put("min.insync.replicas", "1");
                        properties.put("group.initial.rebalance.delay.ms", "0");
                    });
            // Kafka instantiates configured classes (e.g. the share-group state persister) through the thread
            // context class loader; in a @QuarkusTest that is a Quarkus loader whose copies of Kafka's classes do
            // not match the broker's. The broker's threads inherit the context loader set here.
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(EmbeddedKafka.class.getClassLoader());
            try {
                candidate.start();
                broker = candidate;
                bootstrap = "127.0.0.1:" + port;
            } catch (RuntimeException e) {
                last = e;
                try {
                    candidate.close();
                } catch (RuntimeException ignored) {
                    // nothing started
                }
            } finally {
                thread.setContextClassLoader(previous);
            }
        }
        if (bootstrap == null) {
            throw new IllegalStateException("could not start the embedded Kafka broker: " + last.getMessage(), last);
        }
        EmbeddedKafkaBroker started = broker;
        Runtime.getRuntime().addShutdownHook(new Thread(started::close, "portcullis-embedded-kafka-stop"));
        return bootstrap;
    }

    /**
     * The broker logs a lot at INFO (its whole configuration, every partition it creates). Set the broker-side
     * categories to WARNING before it starts; a Quarkus test's own {@code quarkus.log.category} settings still
     * apply when the application starts. {@code -Dportcullis.kafka.log=INFO} keeps everything.
     */
    private static void quietBrokerLogging() {
        String level = System.getProperty("portcullis.kafka.log", "WARNING").toUpperCase(java.util.Locale.ROOT);
        Level parsed;
        try {
            parsed = Level.parse(level.equals("WARN") ? "WARNING" : level.equals("ERROR") ? "SEVERE" : level);
        } catch (IllegalArgumentException e) {
            parsed = Level.WARNING;
        }
        for (String category : List.of("kafka", "state.change.logger", "org.apache.kafka.server", "org.apache.kafka.raft",
                "org.apache.kafka.controller", "org.apache.kafka.metadata", "org.apache.kafka.image",
                "org.apache.kafka.storage", "org.apache.kafka.coordinator", "org.apache.kafka.queue",
                "org.apache.kafka.snapshot", "org.apache.kafka.network", "org.apache.kafka.common.network",
                "org.apache.kafka.common.security", "org.apache.kafka.common.utils.AppInfoParser",
                "io.smallrye.reactive.messaging.kafka.companion")) {
            try {
                Logger logger = Logger.getLogger(category);
                logger.setLevel(parsed);
                QUIETED.add(logger);
            } catch (RuntimeException ignored) {
                // logging setup is cosmetic
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port", e);
        }
    }
}
