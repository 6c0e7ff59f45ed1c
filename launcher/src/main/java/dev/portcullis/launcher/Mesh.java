package dev.portcullis.launcher;

import dev.portcullis.lock.protocol.FilePlatformKeys;
import dev.portcullis.testkit.Database;
import dev.portcullis.testkit.KafkaServer;
import dev.portcullis.testkit.PgServer;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * The whole mesh on one machine: Kafka (standalone KRaft, unless one is given), a database per service
 * on the given PostgreSQL, the five services, the operator console (no database) and the lock simulator with one
 * virtual lock per demo door.
 * Everything it starts is recorded in the state directory, so {@link #down(MeshLayout)} stops exactly that.
 */
public final class Mesh {

    public static final List<String> SERVICES = List.of("identity-service", "policy-service", "device-registry",
            "audit-service", "command-service");
    public static final List<String> TOPICS = List.of("portcullis.unlock.v1", "portcullis.lock.v1",
            "portcullis.registry.v1", "portcullis.identity.v1", "portcullis.policy.v1");

    private static final List<String> JVM = List.of("-Xms64m", "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
            "-Xshare:auto");

    private final MeshLayout layout;
    private final DemoPortfolio demo;
    private final List<ServiceProcess> processes = new ArrayList<>();
    private final Properties state = new Properties();
    private String kafkaBootstrap;
    private Properties commandConfig;

    private Mesh(MeshLayout layout, DemoPortfolio demo) {
        this.layout = layout;
        this.demo = demo;
    }

    public MeshLayout layout() {
        return layout;
    }

    public DemoPortfolio demo() {
        return demo;
    }

    public String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    public List<ServiceProcess> processes() {
        return List.copyOf(processes);
    }

    /**
     * Starts the mesh. {@code kafkaBootstrap} may be null: then a standalone broker is started in the
     * state directory. On any failure, whatever was started is stopped again.
     */
    public static Mesh up(MeshLayout layout, DemoPortfolio demo, PgServer postgres, String kafkaBootstrap) {
        return up(layout, demo, postgres, kafkaBootstrap, new Properties());
    }

    /**
     * As above, with {@code serviceConfig} added to the configuration of each of the five services (e.g.
     * the OpenTelemetry exporter of the e2e suite's trace receiver).
     */
    public static Mesh up(MeshLayout layout, DemoPortfolio demo, PgServer postgres, String kafkaBootstrap, Properties serviceConfig) {
        Mesh mesh = new Mesh(layout, demo);
        try {
            mesh.start(postgres, kafkaBootstrap, serviceConfig);
            return mesh;
        } catch (RuntimeException | IOException e) {
            mesh.stop();
            throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
        }
    }

    private void start(PgServer postgres, String givenKafka, Properties serviceConfig) throws IOException {
        Files.createDirectories(layout.stateDir());
        Files.createDirectories(layout.logs());
        Files.createDirectories(layout.config());
        Files.createDirectories(layout.keys());
        Files.setPosixFilePermissions(layout.keys(), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(layout.config(), PosixFilePermissions.fromString("rwx------"));

        if (givenKafka == null) {
            Path kafkaDir = layout.stateDir().resolve("kafka");
            kafkaBootstrap = KafkaServer.start(kafkaDir, layout.kafkaPort(), layout.kafkaControllerPort());
            state.setProperty("kafka.dir", kafkaDir.toString());
            saveState();
        } else {
            kafkaBootstrap = givenKafka;
        }
        createTopics();

        Path platformSigning = layout.keys().resolve("platform-signing.pem");
        Path platformAgreement = layout.keys().resolve("platform-agreement.pem");
        FilePlatformKeys platformKeys = Files.exists(platformSigning) && Files.exists(platformAgreement)
                ? FilePlatformKeys.load(platformSigning, platformAgreement)
                : FilePlatformKeys.generate(platformSigning, platformAgreement);

        Map<String, Properties> configs = new LinkedHashMap<>();
        for (String service : SERVICES) {
            Database database = postgres.createDatabaseIfMissing(layout.databasePrefix() + "_" + service.replace("-service", "")
                    .replace("device-", "").replace('-', '_'));
            Properties config = new Properties();
            config.setProperty("quarkus.http.host", "127.0.0.1");
            config.setProperty("quarkus.datasource.username", database.user());
            config.setProperty("quarkus.datasource.password", database.password() == null ? "" : database.password());
            config.setProperty("quarkus.datasource.reactive.url", database.reactiveUrl());
            config.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
            config.setProperty("kafka.bootstrap.servers", kafkaBootstrap);
            config.setProperty("quarkus.oidc.auth-server-url", layout.issuer().toString());
            config.putAll(serviceConfig);
            configs.put(service, config);
        }
        configs.get("identity-service").setProperty("quarkus.http.port", String.valueOf(layout.identityPort()));
        configs.get("identity-service").setProperty("portcullis.identity.issuer", layout.issuer().toString());
        configs.get("identity-service").setProperty("portcullis.identity.signing-key-file", layout.keys().resolve("identity-signing.pem").toString());
        configs.get("identity-service").setProperty("portcullis.identity.generate-signing-key", "true");
        configs.get("identity-service").setProperty("portcullis.identity.data-key", persistentSecret("identity-data-key"));
        // The operator console's public client, redirecting back to the console's /callback.
        configs.get("identity-service").setProperty("portcullis.identity.demo-console-redirect-uri", layout.consoleUrl() + "/callback");
        configs.get("policy-service").setProperty("quarkus.http.port", String.valueOf(layout.policyPort()));
        configs.get("device-registry").setProperty("quarkus.http.port", String.valueOf(layout.registryPort()));
        configs.get("device-registry").setProperty("portcullis.platform.signing-public-key",
                Base64.getEncoder().encodeToString(platformKeys.signingPublicKey().getEncoded()));
        configs.get("device-registry").setProperty("portcullis.platform.agreement-public-key",
                Base64.getEncoder().encodeToString(platformKeys.agreementPublicKey().getEncoded()));
        // PIN and card secrets are sealed under this key; credential changes go to locks through command-service.
        configs.get("device-registry").setProperty("portcullis.credentials.key", persistentSecret("registry-credentials-key"));
        configs.get("device-registry").setProperty("quarkus.grpc.clients.command.host", "127.0.0.1");
        configs.get("device-registry").setProperty("quarkus.grpc.clients.command.port", String.valueOf(layout.commandPort()));
        configs.get("device-registry").setProperty("quarkus.grpc.clients.policy.host", "127.0.0.1");
        configs.get("device-registry").setProperty("quarkus.grpc.clients.policy.port", String.valueOf(layout.policyPort()));
        configs.get("audit-service").setProperty("quarkus.http.port", String.valueOf(layout.auditPort()));
        // Webhook secrets of alert subscriptions are stored encrypted under this key; local receivers are allowed.
        configs.get("audit-service").setProperty("portcullis.audit.alerts.webhooks.secret-key", persistentSecret("audit-webhook-key"));
        configs.get("audit-service").setProperty("portcullis.audit.alerts.webhooks.allow-private-addresses", "true");
        configs.get("audit-service").setProperty("portcullis.audit.tree-heads.signing-key-file",
                layout.keys().resolve("audit-tree-head.pem").toString());
        configs.get("audit-service").setProperty("portcullis.audit.tree-heads.generate-signing-key", "true");
        Properties command = configs.get("command-service");
        command.setProperty("quarkus.http.port", String.valueOf(layout.commandPort()));
        command.setProperty("quarkus.grpc.clients.policy.host", "127.0.0.1");
        command.setProperty("quarkus.grpc.clients.policy.port", String.valueOf(layout.policyPort()));
        command.setProperty("quarkus.grpc.clients.registry.host", "127.0.0.1");
        command.setProperty("quarkus.grpc.clients.registry.port", String.valueOf(layout.registryPort()));
        command.setProperty("portcullis.platform.signing-key-file", platformSigning.toString());
        command.setProperty("portcullis.platform.agreement-key-file", platformAgreement.toString());
        command.setProperty("portcullis.command.replica.id", "command-1");
        command.setProperty("portcullis.command.replica.address", "127.0.0.1:" + layout.commandPort());
        commandConfig = command;
        for (String seeded : List.of("identity-service", "policy-service", "device-registry")) {
            configs.get(seeded).putAll(demo.toConfig());
        }

        // Start all five at once (they find each other lazily), then wait for each to be ready.
        for (Map.Entry<String, Properties> entry : configs.entrySet()) {
            startService(entry.getKey(), layout.jar(entry.getKey()), entry.getValue());
        }
        awaitAll(processes.stream().map(process -> (Runnable) () -> process.awaitReady(
                URI.create("http://127.0.0.1:" + portOf(process.name()) + "/q/health/ready"), Duration.ofSeconds(180))).toList());

        Properties simulator = new Properties();
        simulator.setProperty("quarkus.http.port", String.valueOf(layout.simulatorPort()));
        simulator.setProperty("quarkus.http.host", "127.0.0.1");
        simulator.setProperty("simulator.registry-url", layout.registryUrl().toString());
        simulator.setProperty("simulator.gateway.host", "127.0.0.1");
        simulator.setProperty("simulator.gateway.port", String.valueOf(layout.commandPort()));
        simulator.setProperty("simulator.data-dir", layout.stateDir().resolve("simulator").toString());
        for (int i = 0; i < demo.doors().size(); i++) {
            simulator.setProperty("simulator.locks[" + i + "].id", demo.doors().get(i).lockId());
            simulator.setProperty("simulator.locks[" + i + "].enrollment-secret", demo.doors().get(i).enrollmentSecret());
        }
        ServiceProcess sim = startService("lock-simulator", layout.jar("lock-simulator"), simulator);

        Properties console = new Properties();
        console.setProperty("quarkus.http.port", String.valueOf(layout.consolePort()));
        console.setProperty("quarkus.http.host", "127.0.0.1");
        console.setProperty("quarkus.oidc.auth-server-url", layout.issuer().toString());
        console.setProperty("portcullis.console.registry-url", layout.registryUrl().toString());
        console.setProperty("portcullis.console.policy-url", "http://127.0.0.1:" + layout.policyPort());
        console.setProperty("portcullis.console.command-url", layout.commandUrl().toString());
        console.setProperty("quarkus.oidc.authentication.state-secret", persistentSecret("console-state-secret"));
        console.setProperty("quarkus.oidc.token-state-manager.encryption-secret", persistentSecret("console-session-secret"));
        ServiceProcess consoleProcess = startService("console", layout.jar("console"), console);

        sim.awaitReady(URI.create(layout.simulatorUrl() + "/q/health/ready"), Duration.ofSeconds(120));
        consoleProcess.awaitReady(URI.create("http://127.0.0.1:" + layout.consolePort() + "/q/health/ready"), Duration.ofSeconds(120));
        awaitLocksConnected(Duration.ofSeconds(90));
    }

    /**
     * Starts a second command-service replica on {@link MeshLayout#secondCommandPort()}, sharing the first
     * one's database, Kafka and keys. The simulated locks stay connected to the first: an unlock sent to the
     * second reaches them through the first (lock_route + CommandRelay).
     */
    public ServiceProcess startSecondCommandReplica() throws IOException {
        Properties second = new Properties();
        second.putAll(commandConfig);
        second.setProperty("quarkus.http.port", String.valueOf(layout.secondCommandPort()));
        second.setProperty("portcullis.command.replica.id", "command-2");
        second.setProperty("portcullis.command.replica.address", "127.0.0.1:" + layout.secondCommandPort());
        ServiceProcess process = startService("command-service-2", layout.jar("command-service"), second);
        process.awaitReady(URI.create(layout.secondCommandUrl() + "/q/health/ready"), Duration.ofSeconds(120));
        return process;
    }

    private ServiceProcess startService(String name, Path jar, Properties config) throws IOException {
        Path file = layout.config().resolve(name + ".properties");
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer out = Files.newBufferedWriter(file)) {
            config.store(out, "generated by the Portcullis launcher; contains secrets - never commit");
        }
        List<String> jvm = new ArrayList<>(JVM);
        jvm.add("-Dquarkus.config.locations=" + file.toUri());
        ServiceProcess process = ServiceProcess.start(name, jar, jvm, Map.of(), layout.logs().resolve(name + ".log"));
        processes.add(process);
        state.setProperty("pid." + name, String.valueOf(process.pid()));
        saveState();
        return process;
    }

    private int portOf(String service) {
        return switch (service) {
            case "identity-service" -> layout.identityPort();
            case "policy-service" -> layout.policyPort();
            case "command-service" -> layout.commandPort();
            case "device-registry" -> layout.registryPort();
            case "audit-service" -> layout.auditPort();
            default -> layout.simulatorPort();
        };
    }

    private void createTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafkaBootstrap))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = TOPICS.stream().filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, 3, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("could not create Kafka topics on " + kafkaBootstrap + ": " + e.getMessage(), e);
        }
    }

    private void awaitLocksConnected(Duration timeout) {
        HttpClient http = HttpClient.newHttpClient();
        Instant deadline = Instant.now().plus(timeout);
        String last = "";
        while (Instant.now().isBefore(deadline)) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(layout.simulatorUrl() + "/v1/locks")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                last = response.body();
                long connected = last.split("\"connected\"\\s*:\\s*true", -1).length - 1;
                if (response.statusCode() == 200 && connected >= demo.doors().size()) {
                    return;
                }
            } catch (IOException notYet) {
                // simulator still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            ServiceProcess.sleep(300);
        }
        throw new IllegalStateException("the simulated locks did not all connect within " + timeout.toSeconds() + " s: " + last);
    }

    private String persistentSecret(String name) throws IOException {
        Path file = layout.keys().resolve(name);
        if (!Files.exists(file)) {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.writeString(file, Base64.getEncoder().encodeToString(key),
                    java.nio.file.StandardOpenOption.CREATE_NEW);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        }
        return Files.readString(file).trim();
    }

    private void saveState() throws IOException {
        try (Writer out = Files.newBufferedWriter(layout.stateDir().resolve("state.properties"))) {
            state.store(out, "processes started by the Portcullis launcher");
        }
    }

    /** Stops what this mesh started: simulator and services first, then Kafka. */
    public void stop() {
        List<ServiceProcess> reversed = new ArrayList<>(processes);
        java.util.Collections.reverse(reversed);
        awaitAll(reversed.stream().map(process -> (Runnable) () -> process.stop(Duration.ofSeconds(20))).toList());
        String kafkaDir = state.getProperty("kafka.dir");
        if (kafkaDir != null) {
            KafkaServer.stop(Path.of(kafkaDir));
        }
        try {
            Files.deleteIfExists(layout.stateDir().resolve("state.properties"));
        } catch (IOException ignored) {
            // nothing left to stop
        }
    }

    /** Stops a mesh started by an earlier `up`, from its state file. Returns the names of what it stopped. */
    public static List<String> down(MeshLayout layout) throws IOException {
        Path file = layout.stateDir().resolve("state.properties");
        List<String> stopped = new ArrayList<>();
        if (!Files.exists(file)) {
            return stopped;
        }
        Properties saved = new Properties();
        try (var in = Files.newBufferedReader(file)) {
            saved.load(in);
        }
        Mesh mesh = new Mesh(layout, null);
        mesh.state.putAll(saved);
        for (String key : saved.stringPropertyNames()) {
            if (key.startsWith("pid.")) {
                String name = key.substring(4);
                mesh.processes.add(ServiceProcess.attach(name, Long.parseLong(saved.getProperty(key)), layout.logs().resolve(name + ".log")));
                stopped.add(name);
            }
        }
        if (saved.getProperty("kafka.dir") != null) {
            stopped.add("kafka");
        }
        mesh.stop();
        return stopped;
    }

    private static void awaitAll(List<Runnable> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, tasks.size()));
        try {
            List<CompletableFuture<Void>> futures = tasks.stream().map(task -> CompletableFuture.runAsync(task, pool)).toList();
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
