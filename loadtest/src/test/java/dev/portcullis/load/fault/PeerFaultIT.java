package dev.portcullis.load.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.OidcLogin;
import dev.portcullis.launcher.ServiceProcess;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault scenarios 5 and 6 of issue 9 against the real processes of one mesh: policy-service stalled
 * (SIGSTOP) and identity-service down (SIGKILL). Every wait is bounded in count and time, and a stopped
 * process is resumed in {@code finally}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PeerFaultIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    /** command-service's policy deadline (portcullis.command.policy-deadline, default 2 s). */
    private static final Duration POLICY_DEADLINE = Duration.ofSeconds(2);

    private static Mesh mesh;
    private static MeshLayout layout;
    private static DemoPortfolio demo;
    private static String token;
    private static String succeededAttemptId;

    @BeforeAll
    static void bringUpTheMesh() throws Exception {
        Path root = Path.of(System.getProperty("portcullis.root", "..")).toAbsolutePath().normalize();
        layout = new MeshLayout(root, Files.createTempDirectory("portcullis-fault-"), 29080,
                "fault_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        demo = DemoPortfolio.generate(new SecureRandom());
        // The scenarios send a dozen unlocks within a minute, over the default per-user admission limit (20/min).
        Properties config = new Properties();
        config.setProperty("portcullis.command.limits.per-user-per-minute", "600");
        Instant started = Instant.now();
        mesh = Mesh.up(layout, demo, Postgres.server(), null, config);
        System.out.printf("[fault] mesh up in %d ms%n", Duration.between(started, Instant.now()).toMillis());
        token = new OidcLogin(layout.issuer()).login(demo.tenant().username(), demo.tenant().password(), demo.tenant().totpSecret())
                .getAccessToken().getValue();
        HttpResponse<String> first = unlock(front(), token);
        assertEquals(201, first.statusCode(), first.body());
        JsonNode attempt = JSON.readTree(first.body());
        assertEquals("succeeded", attempt.get("status").asText(), first.body());
        succeededAttemptId = attempt.get("id").asText();
    }

    @AfterAll
    static void takeItDown() {
        if (mesh == null) {
            return;
        }
        for (ServiceProcess process : mesh.processes()) {
            if (process.isAlive()) {
                signal(process, "CONT");
            }
        }
        List<ServiceProcess> processes = mesh.processes();
        mesh.stop();
        for (ServiceProcess process : processes) {
            assertFalse(process.isAlive(), process.name() + " is still running after the mesh was stopped");
        }
    }

    /** Scenario 5: policy-service stalled → unlocks denied at the deadline (fail closed), reads still served. */
    @Test
    @Order(1)
    void aStalledPolicyServiceFailsUnlocksClosedAtTheDeadlineWhileReadsAreServed() throws Exception {
        ServiceProcess policy = process("policy-service");
        int actuationsBefore = actuations();
        signal(policy, "STOP");
        Instant resumedAt;
        try {
            // the kernel stops the process asynchronously: wait (bounded) until /proc says so
            String state = processState(policy);
            for (int i = 0; i < 50 && !"T".equals(state); i++) {
                Thread.sleep(20);
                state = processState(policy);
            }
            assertEquals("T", state, "policy-service is stopped");

            Instant sent = Instant.now();
            HttpResponse<String> denied = unlock(front(), token);
            Duration took = Duration.between(sent, Instant.now());
            System.out.printf("[fault] unlock with policy stalled answered %d in %d ms%n", denied.statusCode(), took.toMillis());
            assertEquals(403, denied.statusCode(), denied.body());
            assertTrue(denied.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
            JsonNode problem = JSON.readTree(denied.body());
            assertEquals("POLICY_UNAVAILABLE", problem.get("reasons").get(0).asText(), denied.body());
            assertEquals(1, problem.get("reasons").size(), denied.body());
            assertTrue(took.compareTo(POLICY_DEADLINE.minusMillis(200)) >= 0, "policy was asked and waited for: " + took.toMillis() + " ms");
            assertTrue(took.compareTo(POLICY_DEADLINE.plusSeconds(2)) <= 0, "denied at the deadline, not later: " + took.toMillis() + " ms");

            // Reads need neither policy nor registry: the denied attempt and an earlier success are served.
            String deniedId = problem.get("actionAttemptId").asText();
            for (String id : List.of(deniedId, succeededAttemptId)) {
                Instant readSent = Instant.now();
                HttpResponse<String> read = get(layout.commandUrl() + "/v1/action-attempts/" + id);
                long readMillis = Duration.between(readSent, Instant.now()).toMillis();
                System.out.printf("[fault] read of %s with policy stalled: %d in %d ms%n", id, read.statusCode(), readMillis);
                assertEquals(200, read.statusCode(), read.body());
                assertTrue(readMillis < 1_000, "read served promptly: " + readMillis + " ms");
            }
            assertEquals("denied", JSON.readTree(get(layout.commandUrl() + "/v1/action-attempts/" + deniedId).body()).get("status").asText());
            assertEquals("succeeded",
                    JSON.readTree(get(layout.commandUrl() + "/v1/action-attempts/" + succeededAttemptId).body()).get("status").asText());

            // More unlocks while it stays stalled: every one denied, none later than the deadline (the breaker may refuse at once).
            for (int i = 0; i < 3; i++) {
                Instant again = Instant.now();
                HttpResponse<String> next = unlock(front(), token);
                long millis = Duration.between(again, Instant.now()).toMillis();
                System.out.printf("[fault] unlock %d with policy stalled: %d in %d ms%n", i + 2, next.statusCode(), millis);
                assertEquals(403, next.statusCode(), next.body());
                assertEquals("POLICY_UNAVAILABLE", JSON.readTree(next.body()).get("reasons").get(0).asText());
                assertTrue(millis <= POLICY_DEADLINE.plusSeconds(2).toMillis(), millis + " ms");
            }
            assertEquals(actuationsBefore, actuations(), "no unlock reached the lock while policy could not decide");
        } finally {
            signal(policy, "CONT");
            resumedAt = Instant.now();
        }

        // Recovery once policy runs again (its breaker half-opens after 5 s): bounded in attempts and time.
        HttpResponse<String> recovered = null;
        for (int i = 0; i < 30 && Duration.between(resumedAt, Instant.now()).toSeconds() < 30; i++) {
            recovered = unlock(front(), token);
            if (recovered.statusCode() == 201) {
                break;
            }
            Thread.sleep(1_000);
        }
        System.out.printf("[fault] unlocks succeed again %d ms after policy resumed%n", Duration.between(resumedAt, Instant.now()).toMillis());
        assertEquals(201, recovered.statusCode(), recovered.body());
        assertEquals("succeeded", JSON.readTree(recovered.body()).get("status").asText());
        assertEquals(actuationsBefore + 1, actuations());
    }

    /** Scenario 6: identity-service down → an existing token still unlocks, a forged one still does not, a new login fails fast. */
    @Test
    @Order(2)
    void withIdentityServiceDownAnExistingTokenStillUnlocksAndNewLoginsFailFast() throws Exception {
        ServiceProcess identity = process("identity-service");
        ProcessHandle handle = ProcessHandle.of(identity.pid()).orElseThrow();
        handle.destroyForcibly();
        handle.onExit().get(10, TimeUnit.SECONDS);
        assertFalse(identity.isAlive(), "identity-service is down");
        int actuationsBefore = actuations();

        HttpResponse<String> unlocked = unlock(front(), token);
        assertEquals(201, unlocked.statusCode(), unlocked.body());
        assertEquals("succeeded", JSON.readTree(unlocked.body()).get("status").asText(), unlocked.body());
        assertEquals(actuationsBefore + 1, actuations(), "the token signed before the outage still opened the door");

        // The cached keys still verify: a token with one signature character changed is refused, not waved through.
        String tampered = token.substring(0, token.length() - 2)
                + (token.charAt(token.length() - 2) == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertEquals(401, unlock(front(), tampered).statusCode());
        assertEquals(actuationsBefore + 1, actuations());

        Instant started = Instant.now();
        IllegalStateException failed = assertThrows(IllegalStateException.class, () -> new OidcLogin(layout.issuer())
                .login(demo.tenant().username(), demo.tenant().password(), demo.tenant().totpSecret()));
        long millis = Duration.between(started, Instant.now()).toMillis();
        System.out.printf("[fault] a new login with identity down failed in %d ms: %s%n", millis, failed.getMessage());
        assertTrue(millis < 3_000, "a new login fails fast, not after a hang: " + millis + " ms");
    }

    private static String front() {
        return demo.door("Front entrance").id();
    }

    private static ServiceProcess process(String name) {
        return mesh.processes().stream().filter(process -> process.name().equals(name)).findFirst().orElseThrow();
    }

    private static void signal(ServiceProcess process, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The state letter of /proc/PID/stat: R, S, T (stopped), ... */
    private static String processState(ServiceProcess process) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    }

    private static int actuations() throws Exception {
        String lockId = demo.door("Front entrance").lockId();
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(layout.simulatorUrl() + "/v1/locks/" + lockId))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body()).get("actuations").asInt();
    }

    private static HttpResponse<String> unlock(String doorId, String accessToken) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(layout.commandUrl() + "/v1/doors/" + doorId + "/unlock"))
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", "Bearer " + accessToken)
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
