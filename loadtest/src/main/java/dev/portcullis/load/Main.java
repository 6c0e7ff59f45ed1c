package dev.portcullis.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.DemoState;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.OidcLogin;
import dev.portcullis.testkit.Postgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The load driver. {@code Main <scenario> [--running]}: the scenario is a name under loadtest/scenarios/ or
 * a file. Without {@code --running} it brings up its own mesh (port base 30080, its own databases and
 * Kafka; command-service's per-user and per-door admission limits and policy's per-subject rate limit raised
 * so that they do not cap the run) and takes it down afterwards; with {@code --running} it targets the mesh
 * of {@code ./portcullis up} as it is configured (its limits then cap unlocks at 20 per minute per user).
 */
public final class Main {

    static final int PORT_BASE = 30080;
    private static final ObjectMapper JSON = new ObjectMapper();

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Main <unlock-steady|unlock-burst|login-storm|scenario file> [--running]");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("portcullis.root", ".")).toAbsolutePath().normalize();
        Path file = Files.isRegularFile(Path.of(args[0])) ? Path.of(args[0]) : root.resolve("loadtest/scenarios/" + args[0] + ".properties");
        Scenario scenario = Scenario.load(file);
        boolean running = List.of(args).contains("--running");

        MeshLayout layout;
        DemoPortfolio demo;
        Mesh mesh = null;
        List<String> notes = new ArrayList<>();
        if (running) {
            layout = MeshLayout.local(root);
            demo = DemoState.load(layout.stateDir()).orElseThrow(() -> new IllegalStateException("no mesh state in "
                    + layout.stateDir() + ": run ./portcullis up first"));
            notes.add("mesh: the running one of ./portcullis up, limits as configured");
        } else {
            layout = new MeshLayout(root, Files.createTempDirectory("portcullis-load-"), PORT_BASE,
                    "load_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
            demo = DemoPortfolio.generate(new SecureRandom());
            Instant started = Instant.now();
            mesh = Mesh.up(layout, demo, Postgres.server(), null, loadConfig());
            notes.add(String.format("mesh: started by the driver in %.1f s on this machine (driver, five services, simulator, "
                    + "Kafka and PostgreSQL share its cores); command-service admission limits raised to 1,000,000/min",
                    Duration.between(started, Instant.now()).toMillis() / 1000.0));
        }
        try {
            List<OpenLoop.Result> results = run(scenario, layout, demo, mesh != null, notes);
            String markdown = Report.markdown(scenario, layout.commandUrl().toString(), results, notes);
            System.out.println(markdown);
            System.out.println("written to " + Report.write(root, scenario, markdown));
        } finally {
            if (mesh != null) {
                mesh.stop();
                deleteStateDir(layout.stateDir());
            }
        }
    }

    /** The driver's own mesh leaves nothing behind: its state directory holds generated keys and logs of this run only. */
    private static void deleteStateDir(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    /** Service configuration for a load run: command-service's admission limits out of the way. */
    static Properties loadConfig() {
        Properties config = new Properties();
        config.setProperty("portcullis.command.limits.per-user-per-minute", "1000000");
        config.setProperty("portcullis.command.limits.per-door-per-minute", "1000000");
        return config;
    }

    private static List<OpenLoop.Result> run(Scenario scenario, MeshLayout layout, DemoPortfolio demo, boolean ownMesh, List<String> notes)
            throws IOException, InterruptedException {
        Operations operations = new Operations();
        Supplier<CompletableFuture<String>> operation;
        if (scenario.kind() == Scenario.Kind.UNLOCK) {
            Instant loginStarted = Instant.now();
            String token = new OidcLogin(layout.issuer())
                    .login(demo.tenant().username(), demo.tenant().password(), demo.tenant().totpSecret()).getAccessToken().getValue();
            notes.add(String.format("one full sign-in of the demo tenant (code flow + PKCE, password + TOTP): %d ms",
                    Duration.between(loginStarted, Instant.now()).toMillis()));
            if (ownMesh) {
                notes.add(raisePolicyRateLimit(layout, demo));
            }
            List<String> doors = scenario.doors().stream().map(name -> demo.door(name).id()).toList();
            notes.add("doors: " + String.join(", ", scenario.doors()) + " (one simulated lock each, used in turn)");
            operation = operations.unlock(layout.commandUrl(), doors, token);
        } else {
            operation = operations.passwordStep(layout.issuer(), demo.tenant().username(), demo.tenant().password());
            notes.add("login: authorization request + login page + password (Argon2id) per operation; TOTP codes are single-use, "
                    + "so the storm stops at the second factor");
        }
        List<OpenLoop.Result> results = new ArrayList<>();
        if (!scenario.warmUp().isZero()) {
            OpenLoop.Result warmUp = OpenLoop.run("warm-up (not counted)", scenario.warmUpRate(), scenario.warmUp(), scenario.maxInFlight(), operation);
            System.out.printf("warm-up: %d sent, %d ok, errors %s%n", warmUp.sent(), warmUp.ok(), warmUp.errors());
        }
        for (int rate : scenario.rates()) {
            // A quiet pause, so that what a previous (perhaps saturating) phase left queued on the server is not charged to this one.
            Thread.sleep(5_000);
            OpenLoop.Result result = OpenLoop.run(scenario.kind().name().toLowerCase() + " @ " + rate + "/s", rate, scenario.phase(),
                    scenario.maxInFlight(), operation);
            System.out.printf("%s: %d sent, %d ok, %.1f/s, p99 %.1f ms, errors %s%n", result.label(), result.sent(), result.ok(),
                    result.completedPerSecond(), result.latencyMicros().getValueAtPercentile(99) / 1000.0, result.errors());
            results.add(result);
        }
        return results;
    }

    /** Policy counts permits per subject (30 per 10 min by default): the demo operator lifts it for the run. */
    private static String raisePolicyRateLimit(MeshLayout layout, DemoPortfolio demo) throws IOException, InterruptedException {
        String operatorToken = new OidcLogin(layout.issuer())
                .login(demo.operator().username(), demo.operator().password(), demo.operator().totpSecret()).getAccessToken().getValue();
        URI settings = URI.create("http://localhost:" + layout.policyPort() + "/admin/v1/organizations/" + demo.organizationId() + "/settings");
        String body = JSON.writeValueAsString(Map.of("rateLimitMaxUnlocks", 1_000_000_000, "rateLimitWindowSeconds", 60));
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(settings).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("could not raise policy's rate limit: " + response.statusCode() + " " + response.body());
        }
        // Policy replicas pick the change up from its event within about a second.
        Thread.sleep(2_000);
        return "policy per-subject rate limit raised by the demo operator (admin settings API) to 10^9 per 60 s";
    }
}
