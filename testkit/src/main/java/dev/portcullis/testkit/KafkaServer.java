package dev.portcullis.testkit;

import dev.portcullis.testkit.internal.Commands;
import dev.portcullis.testkit.internal.StderrLoggerProvider;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * A standalone single-node Kafka (KRaft, combined broker + controller) as a separate OS process that outlives
 * the JVM that started it: the local mesh ({@code ./portcullis up}) and the end-to-end suite.
 * <p>
 * Layout of {@code dataDir}: {@code server.properties}, {@code logs/} (the log dirs; formatted once with
 * {@code kafka.tools.StorageTool format}), {@code kafka.log} (the broker's output), {@code kafka.pid},
 * {@code kafka.args} (the java command line). The broker runs {@code kafka.Kafka server.properties} from the jars
 * of {@code org.apache.kafka:kafka_2.13} and its runtime dependencies: by default the ones on this JVM's class
 * path ({@link #classpathFromThisJvm()}), which is where the test kit's own dependencies put them.
 */
public final class KafkaServer {

    public static final String MAIN_CLASS = "kafka.Kafka";
    public static final String STORAGE_TOOL = "kafka.tools.StorageTool";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private KafkaServer() {
    }

    /**
     * Starts the broker from {@code dataDir} (formatting its storage on first use) listening on
     * {@code 127.0.0.1:port}, with its KRaft controller on {@code 127.0.0.1:controllerPort}; waits until a client
     * can describe the cluster (at most 60 s); returns the bootstrap address {@code 127.0.0.1:port}. Idempotent:
     * a broker already running from {@code dataDir} is reused.
     *
     * @throws IllegalStateException naming the failed step, the port or the log file
     */
    public static String start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, classpathFromThisJvm());
    }

    /** {@link #start(Path, int, int)} with an explicit class path (kafka_2.13 4.x and its runtime dependencies). */
    public static String start(Path dataDir, int port, int controllerPort, List<Path> classpath) {
        Path dir = dataDir.toAbsolutePath().normalize();
        String bootstrap = bootstrap(port);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create the Kafka data directory " + dir, e);
        }
        Optional<ProcessHandle> running = runningBroker(dir);
        if (running.isPresent()) {
            awaitReady(bootstrap, running.get(), dir.resolve("kafka.log"));
            return bootstrap;
        }
        requireFree(port, "Kafka broker");
        requireFree(controllerPort, "Kafka controller");
        requireKafkaJars(classpath);
        Path log = dir.resolve("kafka.log");
        try {
            writeServerProperties(dir, port, controllerPort);
            if (!Files.exists(dir.resolve("logs").resolve("meta.properties"))) {
                format(dir, classpath);
            }
            writeArgs(dir.resolve("kafka.args"), classpath, List.of(MAIN_CLASS, dir.resolve("server.properties").toString()));
            List<String> command = new ArrayList<>();
            if (new File("/usr/bin/setsid").canExecute()) {
                command.add("/usr/bin/setsid"); // own session: Ctrl-C in the launcher's terminal does not reach it
            }
            command.add(javaExecutable());
            command.add("@" + dir.resolve("kafka.args"));
            Files.writeString(log, "=== starting Kafka " + Instant.now() + " ===\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            Files.writeString(dir.resolve("kafka.pid"), Long.toString(process.pid()) + "\n");
            try {
                awaitReady(bootstrap, process.toHandle(), log);
            } catch (RuntimeException e) {
                stop(dir);
                throw e;
            }
            return bootstrap;
        } catch (IOException e) {
            throw new IllegalStateException("could not start Kafka from " + dir + ": " + e.getMessage() + " (log: " + log + ")", e);
        }
    }

    /**
     * Stops the broker started from {@code dataDir}: SIGTERM, then SIGKILL if it is still alive after 20 s.
     * Returns whether one was running. Leaves the data (topics) in place.
     */
    public static boolean stop(Path dataDir) {
        Path dir = dataDir.toAbsolutePath().normalize();
        Optional<ProcessHandle> running = runningBroker(dir);
        try {
            if (running.isEmpty()) {
                return false;
            }
            ProcessHandle broker = running.get();
            broker.destroy();
            if (!awaitExit(broker, STOP_GRACE)) {
                broker.destroyForcibly();
                if (!awaitExit(broker, Duration.ofSeconds(10))) {
                    throw new IllegalStateException("Kafka (pid " + broker.pid() + ") survived SIGKILL for 10 s");
                }
            }
            return true;
        } finally {
            try {
                Files.deleteIfExists(dir.resolve("kafka.pid"));
            } catch (IOException ignored) {
                // nothing to clean
            }
        }
    }

    /** Whether a broker started from {@code dataDir} is running. */
    public static boolean isRunning(Path dataDir) {
        return runningBroker(dataDir.toAbsolutePath().normalize()).isPresent();
    }

    /** The pid of the broker started from {@code dataDir}, if it runs. */
    public static Optional<Long> pid(Path dataDir) {
        return runningBroker(dataDir.toAbsolutePath().normalize()).map(ProcessHandle::pid);
    }

    /** {@code 127.0.0.1:port}. */
    public static String bootstrap(int port) {
        return "127.0.0.1:" + port;
    }

    /** The broker's output log. */
    public static Path logFile(Path dataDir) {
        return dataDir.toAbsolutePath().normalize().resolve("kafka.log");
    }

    /**
     * This JVM's class path as files, with manifest-only jars (Surefire's booter jar) expanded to their
     * {@code Class-Path} entries, and the test kit's own location added (it holds the broker's log provider).
     * When the JVM runs with the test kit's runtime dependencies (Maven test class path, or the launcher's
     * {@code target/lib/*}), this contains Kafka's jars. Nonexistent entries are dropped.
     */
    public static List<Path> classpathFromThisJvm() {
        Set<Path> entries = new LinkedHashSet<>();
        for (String entry : System.getProperty("java.class.path", "").split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                addWithManifest(entries, Path.of(entry).toAbsolutePath().normalize());
            }
        }
        try {
            entries.add(Path.of(KafkaServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException | RuntimeException ignored) {
            // already on the class path in every normal setup
        }
        return entries.stream().filter(Files::exists).toList();
    }

    // ------------------------------------------------------------------------------------------------------------

    private static void addWithManifest(Set<Path> entries, Path entry) {
        if (entries.contains(entry)) {
            return;
        }
        entries.add(entry);
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return;
            }
            for (String item : classPath.trim().split("\\s+")) {
                try {
                    URI uri = entry.getParent().toUri().resolve(item);
                    if ("file".equals(uri.getScheme())) {
                        addWithManifest(entries, Path.of(uri).normalize());
                    }
                } catch (IllegalArgumentException ignored) {
                    // not a file entry
                }
            }
        } catch (IOException ignored) {
            // not a readable jar: keep the entry as is
        }
    }

    private static void requireKafkaJars(List<Path> classpath) {
        boolean core = classpath.stream().anyMatch(p -> p.getFileName().toString().startsWith("kafka_2.13"));
        boolean server = classpath.stream().anyMatch(p -> p.getFileName().toString().startsWith("kafka-server-"));
        boolean testkit = classpath.stream().anyMatch(p -> Files.isDirectory(p)
                ? Files.exists(p.resolve("dev/portcullis/testkit/internal/StderrLoggerProvider.class"))
                : p.getFileName().toString().startsWith("testkit"));
        if (!core || !server || !testkit) {
            throw new IllegalStateException("the class path given to KafkaServer lacks "
                    + (!core ? "kafka_2.13 " : "") + (!server ? "kafka-server " : "") + (!testkit ? "the testkit jar " : "")
                    + "— run with dev.portcullis:testkit's runtime dependencies (e.g. mvn dependency:copy-dependencies "
                    + "-DincludeScope=runtime) or pass them to KafkaServer.start(dataDir, port, controllerPort, classpath)");
        }
    }

    private static void writeServerProperties(Path dir, int port, int controllerPort) throws IOException {
        Properties properties = new Properties();
        properties.setProperty("process.roles", "broker,controller");
        properties.setProperty("node.id", "1");
        properties.setProperty("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        properties.setProperty("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        properties.setProperty("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        properties.setProperty("controller.listener.names", "CONTROLLER");
        properties.setProperty("inter.broker.listener.name", "PLAINTEXT");
        properties.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        properties.setProperty("log.dirs", dir.resolve("logs").toString());
        properties.setProperty("auto.create.topics.enable", "true");
        properties.setProperty("num.partitions", "3");
        properties.setProperty("default.replication.factor", "1");
        properties.setProperty("offsets.topic.replication.factor", "1");
        properties.setProperty("offsets.topic.num.partitions", "10");
        properties.setProperty("transaction.state.log.replication.factor", "1");
        properties.setProperty("transaction.state.log.min.isr", "1");
        properties.setProperty("transaction.state.log.num.partitions", "10");
        properties.setProperty("share.coordinator.state.topic.replication.factor", "1");
        properties.setProperty("share.coordinator.state.topic.min.isr", "1");
        properties.setProperty("min.insync.replicas", "1");
        properties.setProperty("group.initial.rebalance.delay.ms", "0");
        properties.setProperty("log.retention.hours", "168");
        try (var out = Files.newBufferedWriter(dir.resolve("server.properties"), StandardCharsets.UTF_8)) {
            properties.store(out, "Written by dev.portcullis.testkit.KafkaServer: single-node KRaft for local use");
        }
    }

    private static void format(Path dir, List<Path> classpath) throws IOException {
        Path args = dir.resolve("format.args");
        writeArgs(args, classpath, List.of(STORAGE_TOOL, "format", "--cluster-id", Uuid.randomUuid().toString(),
                "--config", dir.resolve("server.properties").toString(), "--ignore-formatted"));
        Commands.run(List.of(javaExecutable(), "@" + args), dir, dir.resolve("format.log"), Duration.ofMinutes(2), Map.of())
                .orThrow("could not format Kafka storage in " + dir.resolve("logs"));
    }

    private static void writeArgs(Path file, List<Path> classpath, List<String> mainAndArgs) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add("-Xms64m");
        lines.add("-Xmx512m");
        lines.add("-XX:+UseG1GC");
        lines.add("-XX:MaxGCPauseMillis=20");
        lines.add("-Djava.awt.headless=true");
        lines.add("-Dslf4j.provider=" + StderrLoggerProvider.CLASS_NAME);
        lines.add("-Dlog4j2.loggerContextFactory=org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        lines.add("-Dportcullis.log.level=" + System.getProperty("portcullis.kafka.log.level", "INFO"));
        lines.add("-Dportcullis.kafka.dir=" + quoteArg(file.getParent().toString()));
        lines.add("-cp");
        lines.add(quoteArg(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList())));
        for (String arg : mainAndArgs) {
            lines.add(quoteArg(arg));
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** Quotes one argument for a java {@code @argfile}. */
    private static String quoteArg(String arg) {
        return "\"" + arg.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static Optional<ProcessHandle> runningBroker(Path dir) {
        Path pidFile = dir.resolve("kafka.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile).trim());
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(handle -> isBrokerOf(handle, dir));
    }

    /** Guards against a stale pid file whose pid now belongs to an unrelated process. */
    private static boolean isBrokerOf(ProcessHandle handle, Path dir) {
        String commandLine;
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(handle.pid()), "cmdline"));
            commandLine = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            commandLine = handle.info().commandLine().orElse(null);
        }
        return commandLine == null || commandLine.contains(dir.toString());
    }

    private static void awaitReady(String bootstrap, ProcessHandle process, Path log) {
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        String last = "no answer yet";
        Map<String, Object> config = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        try (Admin admin = Admin.create(config)) {
            while (Instant.now().isBefore(deadline)) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Kafka exited during startup (pid " + process.pid() + "); log: " + log
                            + Commands.tailOf(log, 30));
                }
                try {
                    int nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (nodes > 0) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    last = String.valueOf(e.getCause() == null ? e : e.getCause());
                }
                sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
        throw new IllegalStateException("Kafka did not answer on " + bootstrap + " within " + READY_TIMEOUT.toSeconds()
                + " s (" + last + "); log: " + log + Commands.tailOf(log, 30));
    }

    private static void requireFree(int port, String what) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the " + what + " on 127.0.0.1:" + port
                    + ": the port is in use (another Kafka? check `ss -ltnp | grep :" + port + "`)");
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while stopping Kafka", e);
        }
    }

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
