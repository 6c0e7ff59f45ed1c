package dev.portcullis.load.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.OidcLogin;
import dev.portcullis.launcher.ServiceProcess;
import dev.portcullis.testkit.PgServer;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * One mesh for a fault scenario class, and what the scenarios do to it: process signals (bounded waits for
 * their effect), restarts, the demo tenant's token, unlocks and the simulated locks' actuation counts.
 */
final class FaultMesh {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The long variants (5,000 unlocks, the outage lengths) run with -Dportcullis.faults.full=true. */
    static final boolean FULL = Boolean.getBoolean("portcullis.faults.full");

    final Mesh mesh;
    final MeshLayout layout;
    final DemoPortfolio demo;
    final PgServer postgres;
    private String token;
    private Instant tokenIssued;

    private FaultMesh(Mesh mesh, PgServer postgres) {
        this.mesh = mesh;
        this.layout = mesh.layout();
        this.demo = mesh.demo();
        this.postgres = postgres;
    }

    /**
     * The demo tenant's access token, signed in again when the last one is older than a minute: tokens live
     * 5 minutes and the full variants run longer (a minute apart, a TOTP code is never reused).
     */
    synchronized String token() {
        if (token == null || Duration.between(tokenIssued, Instant.now()).toSeconds() > 60) {
            tokenIssued = Instant.now();
            token = new OidcLogin(layout.issuer()).login(demo.tenant().username(), demo.tenant().password(),
                    demo.tenant().totpSecret()).getAccessToken().getValue();
        }
        return token;
    }

    /**
     * Brings a mesh up on {@code portBase} against {@code postgres}, with command-service's admission limits
     * and policy's per-subject rate limit out of the way of the load, and signs the demo tenant in.
     */
    static FaultMesh up(int portBase, PgServer postgres) throws Exception {
        Path root = Path.of(System.getProperty("portcullis.root", "..")).toAbsolutePath().normalize();
        MeshLayout layout = new MeshLayout(root, Files.createTempDirectory("portcullis-fault-"), portBase,
                "fault_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        DemoPortfolio demo = DemoPortfolio.generate(new SecureRandom());
        Properties config = new Properties();
        config.setProperty("portcullis.command.limits.per-user-per-minute", "1000000");
        config.setProperty("portcullis.command.limits.per-door-per-minute", "1000000");
        Instant started = Instant.now();
        Mesh mesh = Mesh.up(layout, demo, postgres, null, config);
        System.out.printf("[fault] mesh up on %d in %d ms%n", portBase, Duration.between(started, Instant.now()).toMillis());
        try {
            raisePolicyRateLimit(layout, demo);
            FaultMesh faultMesh = new FaultMesh(mesh, postgres);
            faultMesh.token();
            return faultMesh;
        } catch (Exception | AssertionError e) {
            mesh.stop();
            throw e;
        }
    }

    /** Resumes anything left stopped, stops the mesh and checks that nothing it started survives. */
    void down() {
        for (ServiceProcess process : mesh.processes()) {
            if (process.isAlive()) {
                signal(process.pid(), "CONT");
            }
        }
        mesh.kafkaPid().ifPresent(pid -> signal(pid, "CONT"));
        List<ServiceProcess> processes = mesh.processes();
        mesh.stop();
        for (ServiceProcess process : processes) {
            if (process.isAlive()) {
                throw new IllegalStateException(process.name() + " is still running after the mesh was stopped");
            }
        }
    }

    ServiceProcess process(String name) {
        return mesh.processes().stream().filter(process -> process.name().equals(name)).findFirst().orElseThrow();
    }

    long kafkaPid() {
        return mesh.kafkaPid().orElseThrow(() -> new IllegalStateException("the mesh's Kafka broker is not running"));
    }

    /** {@code kill -SIGNAL pid}; for STOP and CONT waits (bounded) until /proc shows the new state. */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (signal.equals("STOP") || signal.equals("CONT")) {
            boolean stopped = signal.equals("STOP");
            for (int i = 0; i < 100 && "T".equals(processState(pid)) != stopped; i++) {
                sleep(20);
            }
            if ("T".equals(processState(pid)) != stopped) {
                throw new IllegalStateException("pid " + pid + " is in state " + processState(pid) + " after SIG" + signal);
            }
        }
    }

    /** SIGKILL and wait (bounded) until the process is gone. */
    static void kill(long pid) {
        ProcessHandle handle = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
        handle.destroyForcibly();
        try {
            handle.onExit().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("pid " + pid + " survived SIGKILL for 10 s", e);
        }
    }

    /** The state letter of /proc/PID/stat (R, S, T = stopped, ...), or "-" when the process is gone. */
    static String processState(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
        } catch (IOException gone) {
            return "-";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String door(String name) {
        return demo.door(name).id();
    }

    /** The sum of the simulated locks' actuation counts behind the given doors. */
    int actuations(List<String> doorNames) throws Exception {
        int sum = 0;
        for (String name : doorNames) {
            String lockId = demo.door(name).lockId();
            HttpResponse<String> lock = HTTP.send(HttpRequest.newBuilder(URI.create(layout.simulatorUrl() + "/v1/locks/" + lockId))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (lock.statusCode() != 200) {
                throw new IllegalStateException("simulator: " + lock.statusCode() + " " + lock.body());
            }
            sum += JSON.readTree(lock.body()).get("actuations").asInt();
        }
        return sum;
    }

    /** One unlock with a fresh Idempotency-Key, waited for (15 s at most). */
    HttpResponse<String> unlock(String doorName) throws Exception {
        return unlock(doorName, UUID.randomUUID().toString());
    }

    HttpResponse<String> unlock(String doorName, String idempotencyKey) throws Exception {
        return unlockDoor(door(doorName), idempotencyKey);
    }

    HttpResponse<String> unlockDoor(String doorId, String idempotencyKey) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(layout.commandUrl() + "/v1/doors/" + doorId + "/unlock"))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + token())
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Unlocks until one succeeds (at most {@code within}); returns how long that took. */
    Duration awaitUnlockSucceeds(String doorName, Duration within) throws Exception {
        Instant start = Instant.now();
        String last = "nothing sent";
        for (int i = 0; i < 60 && Duration.between(start, Instant.now()).compareTo(within) < 0; i++) {
            try {
                HttpResponse<String> response = unlock(doorName);
                if (response.statusCode() == 201 && "succeeded".equals(JSON.readTree(response.body()).path("status").asText())) {
                    return Duration.between(start, Instant.now());
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException e) {
                last = e.toString();
            }
            sleep(500);
        }
        throw new AssertionError("no unlock succeeded within " + within.toSeconds() + " s; last: " + last);
    }

    /** Whether every service of the mesh answers its readiness check with 200 now. */
    boolean allReady() {
        Map<String, Integer> ports = Map.of("identity-service", layout.identityPort(), "policy-service", layout.policyPort(),
                "device-registry", layout.registryPort(), "audit-service", layout.auditPort(), "command-service", layout.commandPort());
        for (int port : ports.values()) {
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() != 200) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return true;
    }

    /** Policy counts permits per subject (30 per 10 min by default): the demo operator lifts it for the run. */
    private static void raisePolicyRateLimit(MeshLayout layout, DemoPortfolio demo) throws Exception {
        String operatorToken = new OidcLogin(layout.issuer())
                .login(demo.operator().username(), demo.operator().password(), demo.operator().totpSecret()).getAccessToken().getValue();
        URI settings = URI.create("http://localhost:" + layout.policyPort() + "/admin/v1/organizations/" + demo.organizationId() + "/settings");
        String body = JSON.writeValueAsString(Map.of("rateLimitMaxUnlocks", 1_000_000_000, "rateLimitWindowSeconds", 60));
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(settings).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + operatorToken).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("could not raise policy's rate limit: " + response.statusCode() + " " + response.body());
        }
        sleep(2_000);
    }

    static JsonNode json(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + body, e);
        }
    }
}
