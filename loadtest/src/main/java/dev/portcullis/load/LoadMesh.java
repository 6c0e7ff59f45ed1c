package dev.portcullis.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.DemoState;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.OidcLogin;
import dev.portcullis.launcher.ServiceProcess;
import dev.portcullis.testkit.PgServer;
import dev.portcullis.testkit.Postgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The mesh a load run drives: its own (brought up here, on a port base and database prefix of its own,
 * with a partner key made for the run and admission limits out of the way; taken down and its state
 * directory deleted on {@link #close()}), or the running one of {@code ./portcullis up}.
 */
public final class LoadMesh implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public final MeshLayout layout;
    public final DemoPortfolio demo;
    public final PgServer postgres;
    /** Null when the mesh is not this run's own (its partner key is not known here). */
    public final Partner partner;
    private final Mesh mesh;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<ScheduledExecutorService> refreshers = new CopyOnWriteArrayList<>();

    private LoadMesh(MeshLayout layout, DemoPortfolio demo, PgServer postgres, Partner partner, Mesh mesh) {
        this.layout = layout;
        this.demo = demo;
        this.postgres = postgres;
        this.partner = partner;
        this.mesh = mesh;
    }

    /** Brings up a mesh of the run's own; {@code config} goes to the five services on top of {@link #loadConfig()}. */
    public static LoadMesh up(Path root, int portBase, String databasePrefix, Properties config, List<String> notes) throws IOException {
        MeshLayout layout = new MeshLayout(root, Files.createTempDirectory("portcullis-load-"), portBase,
                databasePrefix + "_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        DemoPortfolio demo = DemoPortfolio.generate(new SecureRandom());
        Path jwks = layout.stateDir().resolve("partner-jwks.json");
        Partner partner = Partner.create(jwks);
        Properties serviceConfig = loadConfig();
        serviceConfig.setProperty(Partner.JWKS_FILE_PROPERTY, jwks.toString());
        serviceConfig.putAll(config);
        PgServer postgres = Postgres.server();
        Instant started = Instant.now();
        Mesh mesh = Mesh.up(layout, demo, postgres, null, serviceConfig);
        notes.add(String.format("mesh: started by the driver in %.1f s (port base %d; five services, console, simulator, Kafka, "
                + "PostgreSQL and the driver share the machine's cores); command-service admission limits per user and door raised "
                + "to 1,000,000/min", Duration.between(started, Instant.now()).toMillis() / 1000.0, portBase));
        return new LoadMesh(layout, demo, postgres, partner, mesh);
    }

    static LoadMesh running(Path root, List<String> notes) throws IOException {
        MeshLayout layout = MeshLayout.local(root);
        DemoPortfolio demo = DemoState.load(layout.stateDir()).orElseThrow(() -> new IllegalStateException("no mesh state in "
                + layout.stateDir() + ": run ./portcullis up first"));
        notes.add("mesh: the running one of ./portcullis up, limits as configured");
        return new LoadMesh(layout, demo, Postgres.server(), null, null);
    }

    /** Service configuration for a load run: command-service's per-user and per-door admission limits out of the way. */
    public static Properties loadConfig() {
        Properties config = new Properties();
        config.setProperty("portcullis.command.limits.per-user-per-minute", "1000000");
        config.setProperty("portcullis.command.limits.per-door-per-minute", "1000000");
        config.setProperty("portcullis.command.limits.per-partner-per-minute", "1000000");
        return config;
    }

    boolean own() {
        return mesh != null;
    }

    public List<ServiceProcess> processes() {
        return mesh == null ? List.of() : mesh.processes();
    }

    /** The demo tenant's access token, from one full sign-in (code flow + PKCE, password + TOTP), timed into the notes. */
    public String tenantToken(List<String> notes) {
        Instant started = Instant.now();
        String token = new OidcLogin(layout.issuer())
                .login(demo.tenant().username(), demo.tenant().password(), demo.tenant().totpSecret()).getAccessToken().getValue();
        notes.add(String.format("one full sign-in of the demo tenant (code flow + PKCE, password + TOTP, code exchanged): %d ms",
                Duration.between(started, Instant.now()).toMillis()));
        return token;
    }

    /**
     * The demo tenant's access token, kept fresh: signed in now (timed into the notes), then signed in again
     * every 4 minutes on a background thread (access tokens live 5 minutes; one sign-in per 4 minutes never
     * reuses a TOTP window), so that long runs do not turn into 401s. Closing the mesh stops the refresher.
     */
    public Supplier<String> freshTenantToken(List<String> notes) {
        AtomicReference<String> token = new AtomicReference<>(tenantToken(notes));
        ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "token-refresher");
            thread.setDaemon(true);
            return thread;
        });
        refresher.scheduleWithFixedDelay(() -> {
            try {
                token.set(new OidcLogin(layout.issuer()).login(demo.tenant().username(), demo.tenant().password(),
                        demo.tenant().totpSecret()).getAccessToken().getValue());
            } catch (RuntimeException failed) {
                System.err.println("token refresh failed (the old token is kept): " + failed.getMessage());
            }
        }, 4, 4, TimeUnit.MINUTES);
        refreshers.add(refresher);
        notes.add("the tenant signs in again every 4 minutes (access tokens live 5 minutes)");
        return token::get;
    }

    /** Policy counts permits per subject (30 per 10 min by default): the demo operator lifts it for the run. */
    public void raisePolicyRateLimit(List<String> notes) throws IOException, InterruptedException {
        if (!own()) {
            return;
        }
        String operatorToken = new OidcLogin(layout.issuer())
                .login(demo.operator().username(), demo.operator().password(), demo.operator().totpSecret()).getAccessToken().getValue();
        URI settings = URI.create("http://localhost:" + layout.policyPort() + "/admin/v1/organizations/" + demo.organizationId() + "/settings");
        String body = JSON.writeValueAsString(Map.of("rateLimitMaxUnlocks", 1_000_000_000, "rateLimitWindowSeconds", 60));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(settings).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("could not raise policy's rate limit: " + response.statusCode() + " " + response.body());
        }
        // Policy replicas pick the change up from its event within about a second.
        Thread.sleep(2_000);
        notes.add("policy per-subject rate limit raised by the demo operator (admin settings API) to 10^9 per 60 s");
    }

    /** One unlock, answered synchronously: the attempt's id (for reads). */
    public String unlockOnce(String doorId, String token) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(layout.commandUrl().resolve("/v1/doors/" + doorId + "/unlock"))
                .timeout(Duration.ofSeconds(15)).header("Authorization", "Bearer " + token)
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException("unlock answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body()).get("id").asText();
    }

    /** Entries stored in audit-service's log (its database, counted directly). */
    public long auditEntries() throws SQLException {
        try (Connection connection = postgres.database(layout.databasePrefix() + "_audit").connect();
                Statement statement = connection.createStatement();
                ResultSet count = statement.executeQuery("select count(*) from audit_entry")) {
            count.next();
            return count.getLong(1);
        }
    }

    @Override
    public void close() throws IOException {
        refreshers.forEach(ScheduledExecutorService::shutdownNow);
        if (mesh == null) {
            return;
        }
        mesh.stop();
        for (String service : Mesh.SERVICES) {
            String database = layout.databasePrefix() + "_" + service.replace("-service", "").replace("device-", "").replace('-', '_');
            try {
                postgres.dropDatabase(database);
            } catch (IllegalStateException kept) {
                System.err.println("could not drop " + database + ": " + kept.getMessage());
            }
        }
        try (var paths = Files.walk(layout.stateDir())) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
