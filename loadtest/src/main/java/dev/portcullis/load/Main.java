package dev.portcullis.load;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The load driver. {@code Main all}: every headline number from one mesh ({@link FullRun}). {@code Main soak
 * [minutes]}: the soak ({@link Soak}, 30 minutes by default). {@code Main <scenario> [--running]}: one
 * scenario, a name under loadtest/scenarios/ or a file. Without {@code --running} each brings up its own
 * mesh (port base 30080, or 30280 for the soak; its own databases and Kafka; command-service's per-user,
 * per-door and per-partner admission limits and policy's per-subject rate limit raised so that they do
 * not cap the run) and takes it down afterwards; with {@code --running} a scenario targets the mesh of
 * {@code ./portcullis up} as it is configured (its limits then cap unlocks at 20 per minute per user).
 */
public final class Main {

    static final int PORT_BASE = 30080;
    static final int MAX_SOAK_MINUTES = 24 * 60;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Main all | soak [minutes] | <unlock-steady|unlock-burst|login-storm|event-burst|token-storm|scenario file> [--running]");
            System.exit(2);
        }
        Path root = Path.of(System.getProperty("portcullis.root", ".")).toAbsolutePath().normalize();
        String name;
        String markdown;
        if (args[0].equals("all")) {
            name = "all";
            markdown = FullRun.run(root);
        } else if (args[0].equals("soak")) {
            int minutes = args.length > 1 ? Integer.parseInt(args[1]) : 30;
            if (minutes < 1 || minutes > MAX_SOAK_MINUTES) {
                throw new IllegalArgumentException("soak minutes must be between 1 and " + MAX_SOAK_MINUTES);
            }
            name = "soak";
            markdown = Soak.run(root, minutes);
        } else {
            Path file = Files.isRegularFile(Path.of(args[0])) ? Path.of(args[0]) : root.resolve("loadtest/scenarios/" + args[0] + ".properties");
            Scenario scenario = Scenario.load(file);
            name = scenario.name();
            markdown = scenario(root, scenario, List.of(args).contains("--running"));
        }
        System.out.println(markdown);
        System.out.println("written to " + Report.write(root, name, markdown));
    }

    private static String scenario(Path root, Scenario scenario, boolean running) throws Exception {
        List<String> notes = new ArrayList<>();
        try (LoadMesh mesh = running ? LoadMesh.running(root, notes) : LoadMesh.up(root, PORT_BASE, "load", new Properties(), notes)) {
            Operations operations = new Operations();
            Supplier<CompletableFuture<String>> operation = switch (scenario.kind()) {
                case UNLOCK -> {
                    Supplier<String> token = mesh.freshTenantToken(notes);
                    mesh.raisePolicyRateLimit(notes);
                    List<String> doors = scenario.doors().stream().map(door -> mesh.demo.door(door).id()).toList();
                    notes.add("doors: " + String.join(", ", scenario.doors()) + " (one simulated lock each, used in turn)");
                    yield operations.unlock(mesh.layout.commandUrl(), doors, token);
                }
                case LOGIN -> {
                    notes.add("login: authorization request + login page + password (Argon2id) per operation; TOTP codes are single-use, "
                            + "so the storm stops at the second factor");
                    yield operations.passwordStep(mesh.layout.issuer(), mesh.demo.tenant().username(), mesh.demo.tenant().password());
                }
                case TOKEN -> {
                    if (mesh.partner == null) {
                        throw new IllegalStateException("partner tokens need the driver's own mesh (its partner key is made per run)");
                    }
                    notes.add("token: client-credentials grant of the demo partner (private_key_jwt, ES256 assertion signed per request)");
                    yield operations.partnerToken(mesh.layout.issuer(), mesh.partner);
                }
                case EVENT -> {
                    List<String> locks = scenario.doors().stream().map(door -> mesh.demo.door(door).lockId()).toList();
                    notes.add("event: a door-state event reported by a simulated lock (" + String.join(", ", scenario.doors())
                            + ") up its gateway stream; command-service records and publishes it, audit-service stores it");
                    yield operations.lockEvent(mesh.layout.simulatorUrl(), locks);
                }
            };
            List<OpenLoop.Result> results = new ArrayList<>();
            if (!scenario.warmUp().isZero()) {
                OpenLoop.Result warmUp = OpenLoop.run("warm-up (not counted)", scenario.warmUpRate(), scenario.warmUp(), scenario.maxInFlight(), operation);
                System.out.printf("warm-up: %d sent, %d ok, errors %s%n", warmUp.sent(), warmUp.ok(), warmUp.errors());
            }
            for (int rate : scenario.rates()) {
                // A quiet pause, so that what a previous (perhaps saturating) phase left queued on the server is not charged to this one.
                Thread.sleep(5_000);
                String label = scenario.kind().name().toLowerCase() + " @ " + rate + "/s";
                OpenLoop.Result result;
                if (scenario.kind() == Scenario.Kind.EVENT) {
                    AuditIngest.Burst burst = AuditIngest.burst(mesh, label, rate, scenario.phase(), scenario.maxInFlight(), operation);
                    result = burst.sent();
                    notes.add(burst.ingest().describe(label));
                } else {
                    result = OpenLoop.run(label, rate, scenario.phase(), scenario.maxInFlight(), operation);
                }
                System.out.printf("%s: %d sent, %d ok, %.1f/s, p99 %.1f ms, errors %s%n", result.label(), result.sent(), result.ok(),
                        result.completedPerSecond(), result.latencyMicros().getValueAtPercentile(99) / 1000.0, result.errors());
                results.add(result);
            }
            return Report.markdown(scenario, mesh.layout.commandUrl().toString(), results, notes);
        }
    }
}
