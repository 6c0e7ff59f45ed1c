package dev.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.e2e.OtlpTraceReceiver.CollectedSpan;
import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.OidcLogin;
import dev.portcullis.launcher.ServiceProcess;
import dev.portcullis.launcher.Totp;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The walking skeleton over real processes: identity (login with password + TOTP through the
 * authorization-code flow with PKCE, by an independent OIDC client library), command, policy, registry
 * and audit services, a standalone Kafka broker, PostgreSQL, and simulated locks on the gateway stream.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UnlockFlowIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = MeshHttp.CLIENT;

    private static OtlpTraceReceiver traces;
    private static Mesh mesh;
    private static MeshLayout layout;
    private static DemoPortfolio demo;
    private static String accessToken;
    private static Instant signedInAt;
    private static String succeededAttemptId;

    @BeforeAll
    static void bringUpTheMesh() throws IOException {
        Path root = Path.of(System.getProperty("portcullis.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("portcullis-e2e-");
        layout = new MeshLayout(root, state, 28080, "e2e_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        demo = DemoPortfolio.generate(new SecureRandom());
        traces = new OtlpTraceReceiver();
        Properties tracing = new Properties();
        tracing.setProperty("quarkus.otel.sdk.disabled", "false");
        tracing.setProperty("quarkus.otel.exporter.otlp.traces.endpoint", traces.endpoint().toString());
        tracing.setProperty("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
        tracing.setProperty("quarkus.otel.bsp.schedule.delay", "100ms");
        Instant started = Instant.now();
        mesh = Mesh.up(layout, demo, Postgres.server(), null, tracing);
        System.out.printf("[e2e] mesh up in %d ms%n", Duration.between(started, Instant.now()).toMillis());
        accessToken = new OidcLogin(layout.issuer())
                .login(demo.tenant().username(), demo.tenant().password(), demo.tenant().totpSecret())
                .getAccessToken().getValue();
        signedInAt = Instant.now();
    }

    @AfterAll
    static void takeItDown() {
        if (traces != null) {
            traces.close();
        }
        if (mesh == null) {
            return;
        }
        List<ServiceProcess> processes = mesh.processes();
        mesh.stop();
        for (ServiceProcess process : processes) {
            assertFalse(process.isAlive(), process.name() + " is still running after the mesh was stopped");
        }
    }

    @Test
    @Order(1)
    void anUnlockReachesTheLockExactlyOnceAndIsAudited() throws Exception {
        DemoPortfolio.Door front = demo.door("Front entrance");
        String key = UUID.randomUUID().toString();

        Instant sent = Instant.now();
        HttpResponse<String> response = unlock(front.id(), key, accessToken);
        long latencyMs = Duration.between(sent, Instant.now()).toMillis();
        System.out.printf("[e2e] unlock answered in %d ms%n", latencyMs);

        assertEquals(201, response.statusCode(), response.body());
        JsonNode attempt = JSON.readTree(response.body());
        assertEquals("succeeded", attempt.get("status").asText(), response.body());
        assertEquals(front.lockId(), attempt.get("lockId").asText());
        succeededAttemptId = attempt.get("id").asText();
        assertEquals(1, lock(front.lockId()).get("actuations").asInt(), "the lock moved exactly once");

        JsonNode read = JSON.readTree(get(layout.commandUrl() + "/v1/action-attempts/" + succeededAttemptId, accessToken).body());
        assertEquals("succeeded", read.get("status").asText());

        // A retry with the same Idempotency-Key returns the same attempt and sends no second command.
        HttpResponse<String> retry = unlock(front.id(), key, accessToken);
        assertEquals(200, retry.statusCode(), retry.body());
        assertEquals(succeededAttemptId, JSON.readTree(retry.body()).get("id").asText());
        assertEquals(1, lock(front.lockId()).get("actuations").asInt(), "a retry must not move the lock again");

        // Every step of the attempt reaches the audit log through the outbox and Kafka.
        Set<String> expected = Set.of("requested", "permitted", "dispatched", "succeeded");
        List<JsonNode> entries = awaitAudit(front.id(), succeededAttemptId, expected.size(), Duration.ofSeconds(30));
        Set<String> outcomes = new HashSet<>();
        for (JsonNode entry : entries) {
            outcomes.add(entry.get("outcome").asText());
            assertEquals(demo.tenant().id(), entry.get("actor").get("id").asText());
            assertEquals(front.id(), entry.get("doorId").asText());
        }
        assertTrue(outcomes.containsAll(expected), "audit outcomes " + outcomes);
        assertEquals(expected.size(), entries.size(), "each state change is recorded once");
    }

    @Test
    @Order(2)
    void aReplayedCommandIsRefusedByTheLock() throws Exception {
        DemoPortfolio.Door front = demo.door("Front entrance");
        JsonNode before = lock(front.lockId());
        String captured = before.get("lastEnvelope").asText();
        assertFalse(captured.isEmpty(), "the lock has received a command to replay");

        HttpResponse<String> injected = post(layout.simulatorUrl() + "/v1/locks/" + front.lockId() + "/inject",
                JSON.createObjectNode().put("envelope", captured).toString(), null);
        JsonNode result = JSON.readTree(injected.body());
        assertFalse(result.get("accepted").asBoolean(), injected.body());
        assertEquals("REPLAYED_COUNTER", result.get("reason").asText());
        assertEquals(before.get("actuations").asInt(), lock(front.lockId()).get("actuations").asInt(),
                "a replayed command must not move the lock");
    }

    @Test
    @Order(3)
    void anUnlockOutsideTheScheduleIsDeniedWithItsReason() throws Exception {
        DemoPortfolio.Door rooftop = demo.door("Rooftop terrace");
        HttpResponse<String> response = unlock(rooftop.id(), UUID.randomUUID().toString(), accessToken);
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(response.body());
        List<String> reasons = new ArrayList<>();
        problem.get("reasons").forEach(reason -> reasons.add(reason.asText()));
        assertEquals(List.of("OUTSIDE_SCHEDULE"), reasons);
        assertEquals(0, lock(rooftop.lockId()).get("actuations").asInt());
    }

    @Test
    @Order(4)
    void aRequestWithoutAValidTokenGets401() throws Exception {
        String door = demo.door("Front entrance").id();
        assertEquals(401, unlock(door, UUID.randomUUID().toString(), null).statusCode());
        assertEquals(401, unlock(door, UUID.randomUUID().toString(), "not-a-jwt").statusCode());
        // Same token with one signature character changed.
        String tampered = accessToken.substring(0, accessToken.length() - 2)
                + (accessToken.charAt(accessToken.length() - 2) == 'A' ? 'B' : 'A') + accessToken.charAt(accessToken.length() - 1);
        assertNotEquals(accessToken, tampered);
        assertEquals(401, unlock(door, UUID.randomUUID().toString(), tampered).statusCode());
        assertEquals(1, lock(demo.door("Front entrance").lockId()).get("actuations").asInt(),
                "rejected requests never reach the lock");
    }

    @Test
    @Order(5)
    void anUnlockArrivingAtAnotherReplicaReachesTheLockThroughTheReplicaHoldingItsStream() throws Exception {
        mesh.startSecondCommandReplica();
        DemoPortfolio.Door front = demo.door("Front entrance");
        int before = lock(front.lockId()).get("actuations").asInt();

        HttpResponse<String> response = unlock(layout.secondCommandUrl(), front.id(), UUID.randomUUID().toString(), accessToken);
        assertEquals(201, response.statusCode(), response.body());
        JsonNode attempt = JSON.readTree(response.body());
        assertEquals("succeeded", attempt.get("status").asText(), response.body());
        assertEquals(before + 1, lock(front.lockId()).get("actuations").asInt(), "the lock on replica 1 moved exactly once");
        // Both replicas see the same attempt (one database).
        JsonNode viaFirst = JSON.readTree(get(layout.commandUrl() + "/v1/action-attempts/" + attempt.get("id").asText(), accessToken).body());
        assertEquals("succeeded", viaFirst.get("status").asText());
    }

    /**
     * One unlock is one trace across all five services (issue 8). The client signs in at identity-service and
     * unlocks at command-service under one span of its own, sent as W3C {@code traceparent} (nothing inside
     * the mesh calls identity-service per unlock: tokens are verified against its JWKS, fetched ahead);
     * command-service asks policy-service and device-registry over gRPC; the outbox carries the trace
     * context to Kafka, where audit-service continues it. The spans come through the OTLP receiver.
     */
    @Test
    @Order(6)
    void oneUnlockIsOneTraceAcrossAllFiveServices() throws Exception {
        DemoPortfolio.Door door = demo.door("Unit 4B");
        HexFormat hex = HexFormat.of();
        SecureRandom random = new SecureRandom();
        byte[] traceBytes = new byte[16];
        byte[] clientSpanBytes = new byte[8];
        random.nextBytes(traceBytes);
        random.nextBytes(clientSpanBytes);
        String traceId = hex.formatHex(traceBytes);
        String clientSpanId = hex.formatHex(clientSpanBytes);
        String traceparent = "00-" + traceId + "-" + clientSpanId + "-01";

        // TOTP codes are single-use: sign in with a code of a later step than the suite's first sign-in.
        Instant codeTime = Instant.now().getEpochSecond() / 30 <= signedInAt.getEpochSecond() / 30
                ? Instant.now().plusSeconds(30) : Instant.now();
        Instant started = Instant.now();
        String token = new OidcLogin(layout.issuer(), Map.of("traceparent", traceparent))
                .login(demo.tenant().username(), demo.tenant().password(), () -> Totp.code(demo.tenant().totpSecret(), codeTime))
                .getAccessToken().getValue();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(layout.commandUrl() + "/v1/doors/" + door.id() + "/unlock"))
                .timeout(Duration.ofSeconds(20))
                .header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Authorization", "Bearer " + token)
                .header("traceparent", traceparent)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        JsonNode attempt = JSON.readTree(response.body());
        assertEquals("succeeded", attempt.get("status").asText(), response.body());
        awaitAudit(door.id(), attempt.get("id").asText(), 4, Duration.ofSeconds(30));

        // Wait until audit-service's consumer spans of the attempt's four events have arrived, then let the
        // exporters' last batches (100 ms delay) come in.
        Instant deadline = Instant.now().plusSeconds(20);
        while (consumedEvents(traces.trace(traceId)) < 4 && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        Thread.sleep(1_000);
        List<CollectedSpan> trace = traces.trace(traceId);
        System.out.printf("[e2e] one unlock: %d spans in one trace within %d ms (%s)%n", trace.size(),
                Duration.between(started, Instant.now()).toMillis(),
                trace.stream().collect(Collectors.groupingBy(CollectedSpan::service, TreeMap::new,
                        Collectors.counting())));
        Map<String, CollectedSpan> byId = new HashMap<>();
        trace.forEach(span -> byId.put(span.spanId(), span));

        // One trace: every span hangs off the client's span or another span of the same trace...
        for (CollectedSpan span : trace) {
            assertTrue(span.parentSpanId().equals(clientSpanId) || byId.containsKey(span.parentSpanId()),
                    "a span of the trace whose parent is not in it: " + span);
        }
        // ...and it crosses all five services.
        assertEquals(new TreeSet<>(Mesh.SERVICES),
                trace.stream().map(CollectedSpan::service).collect(Collectors.toCollection(TreeSet::new)));

        // The client's two requests: the token (identity-service) and the unlock (command-service).
        CollectedSpan tokenRequest = only(trace, "identity-service", OtlpTraceReceiver.SERVER, "/oauth2/token");
        assertEquals(clientSpanId, tokenRequest.parentSpanId());
        CollectedSpan unlock = only(trace, "command-service", OtlpTraceReceiver.SERVER, "/unlock");
        assertEquals(clientSpanId, unlock.parentSpanId());

        // command-service's gRPC calls are children of the unlock; policy and registry serve them as their children.
        assertServedBy(trace, byId, unlock, "PolicyService/Authorize", "policy-service");
        assertServedBy(trace, byId, unlock, "DeviceRegistry/ResolveDoor", "device-registry");

        // Each event of the attempt leaves through the outbox (published later by the relay) as a child of
        // the unlock, and audit-service consumes it as a child of that publish.
        List<CollectedSpan> published = trace.stream()
                .filter(span -> span.service().equals("command-service") && span.kind() == OtlpTraceReceiver.PRODUCER
                        && isOnTopic(span, "portcullis.unlock.v1"))
                .toList();
        assertEquals(4, published.size(), "requested, permitted, dispatched, succeeded: " + published);
        for (CollectedSpan publish : published) {
            assertTrue(descendsFrom(publish, unlock, byId), "the publish descends from the unlock request: " + publish);
            assertTrue(trace.stream().anyMatch(span -> span.service().equals("audit-service") && span.kind() == OtlpTraceReceiver.CONSUMER
                    && span.parentSpanId().equals(publish.spanId())), "audit-service consumed " + publish + " in the same trace");
        }
    }

    private static long consumedEvents(List<CollectedSpan> trace) {
        Set<String> published = new HashSet<>();
        trace.stream().filter(span -> span.service().equals("command-service") && span.kind() == OtlpTraceReceiver.PRODUCER)
                .forEach(span -> published.add(span.spanId()));
        return trace.stream().filter(span -> span.service().equals("audit-service") && span.kind() == OtlpTraceReceiver.CONSUMER
                && published.contains(span.parentSpanId())).count();
    }

    private static boolean isOnTopic(CollectedSpan span, String topic) {
        return topic.equals(span.attributes().get("messaging.destination.name")) || span.name().startsWith(topic + " ");
    }

    private static CollectedSpan only(List<CollectedSpan> trace, String service, int kind, String nameContains) {
        List<CollectedSpan> found = trace.stream()
                .filter(span -> span.service().equals(service) && span.kind() == kind && span.name().contains(nameContains))
                .toList();
        assertEquals(1, found.size(), service + " spans named *" + nameContains + "* of kind " + kind + " in " + trace);
        return found.get(0);
    }

    /** Every gRPC client span of {@code method} descends from {@code request} and is served by {@code server} as its child. */
    private static void assertServedBy(List<CollectedSpan> trace, Map<String, CollectedSpan> byId, CollectedSpan request,
            String method, String server) {
        List<CollectedSpan> calls = trace.stream()
                .filter(span -> span.service().equals(request.service()) && span.kind() == OtlpTraceReceiver.CLIENT && span.name().endsWith(method))
                .toList();
        assertFalse(calls.isEmpty(), "no " + method + " call in " + trace);
        for (CollectedSpan call : calls) {
            assertTrue(descendsFrom(call, request, byId), call + " descends from " + request);
            assertTrue(trace.stream().anyMatch(span -> span.service().equals(server) && span.kind() == OtlpTraceReceiver.SERVER
                    && span.name().endsWith(method) && span.parentSpanId().equals(call.spanId())), server + " served " + call);
        }
    }

    private static boolean descendsFrom(CollectedSpan span, CollectedSpan ancestor, Map<String, CollectedSpan> byId) {
        for (CollectedSpan at = byId.get(span.parentSpanId()); at != null; at = byId.get(at.parentSpanId())) {
            if (at.spanId().equals(ancestor.spanId())) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<String> unlock(String doorId, String idempotencyKey, String token) throws Exception {
        return unlock(layout.commandUrl(), doorId, idempotencyKey, token);
    }

    private static HttpResponse<String> unlock(URI replica, String doorId, String idempotencyKey, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replica + "/v1/doors/" + doorId + "/unlock"))
                .timeout(Duration.ofSeconds(20))
                .header("Idempotency-Key", idempotencyKey)
                .POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode lock(String lockId) throws Exception {
        return JSON.readTree(get(layout.simulatorUrl() + "/v1/locks/" + lockId, null).body());
    }

    private static List<JsonNode> awaitAudit(String doorId, String attemptId, int count, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        List<JsonNode> matching = List.of();
        while (Instant.now().isBefore(deadline)) {
            HttpResponse<String> response = get(layout.auditUrl() + "/v1/audit?doorId=" + doorId, accessToken);
            if (response.statusCode() == 200) {
                matching = StreamSupport.stream(JSON.readTree(response.body()).get("entries").spliterator(), false)
                        .filter(entry -> attemptId.equals(entry.path("actionAttemptId").asText()))
                        .toList();
                if (matching.size() >= count) {
                    Thread.sleep(500);
                    return StreamSupport.stream(JSON.readTree(get(layout.auditUrl() + "/v1/audit?doorId=" + doorId, accessToken).body())
                                    .get("entries").spliterator(), false)
                            .filter(entry -> attemptId.equals(entry.path("actionAttemptId").asText()))
                            .toList();
                }
            }
            Thread.sleep(250);
        }
        throw new AssertionError("audit log had " + matching.size() + " entries for the attempt, expected " + count);
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        return MeshHttp.get(url, token);
    }

    private static HttpResponse<String> post(String url, String body, String token) throws Exception {
        return MeshHttp.post(url, body, token);
    }
}
