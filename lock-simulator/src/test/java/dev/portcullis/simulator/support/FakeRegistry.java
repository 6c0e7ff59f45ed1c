package dev.portcullis.simulator.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.lock.protocol.PlatformKeys;
import dev.portcullis.lock.protocol.PublicKeys;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * device-registry's enrollment endpoint, for the simulator's tests, over real HTTP on loopback (JDK
 * HttpServer): {@code POST /v1/locks/{lockId}/enrollment} with the registry's request and response
 * shapes. A secret works once; every refusal is 401 problem+json. It can be told to answer 503 first.
 */
public final class FakeRegistry implements AutoCloseable {

    private static final Pattern PATH = Pattern.compile("/v1/locks/([^/]+)/enrollment");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PlatformKeys platform;
    private final int keyEpoch;
    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> unavailableFirst = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final Map<String, LockIdentity> enrolled = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> lastRequest = new ConcurrentHashMap<>();

    public FakeRegistry(PlatformKeys platform, int keyEpoch) throws IOException {
        this.platform = platform;
        this.keyEpoch = keyEpoch;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/locks/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** A lock awaiting enrollment with this one-time secret. */
    public void expect(String lockId, String secret) {
        secrets.put(lockId, secret);
    }

    /** The lock was reset in the registry: it awaits a new enrollment with a new secret. */
    public void reprovision(String lockId, String secret) {
        enrolled.remove(lockId);
        secrets.put(lockId, secret);
    }

    /** The next {@code count} enrollment requests for this lock get 503 (the registry is still starting). */
    public void unavailableFor(String lockId, int count) {
        unavailableFirst.put(lockId, new AtomicInteger(count));
    }

    public int requests(String lockId) {
        return requests.getOrDefault(lockId, new AtomicInteger()).get();
    }

    public LockIdentity identity(String lockId) {
        return enrolled.get(lockId);
    }

    public JsonNode lastRequest(String lockId) {
        return lastRequest.get(lockId);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
                respond(exchange, 404, problem(404, "not found"));
                return;
            }
            String lockId = path.group(1);
            requests.computeIfAbsent(lockId, id -> new AtomicInteger()).incrementAndGet();
            AtomicInteger unavailable = unavailableFirst.get(lockId);
            if (unavailable != null && unavailable.getAndDecrement() > 0) {
                respond(exchange, 503, problem(503, "starting"));
                return;
            }
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            lastRequest.put(lockId, request);
            String expected = secrets.get(lockId);
            if (expected == null || enrolled.containsKey(lockId) || !expected.equals(request.path("enrollmentSecret").asText())) {
                respond(exchange, 401, problem(401, "Enrollment refused"));
                return;
            }
            LockIdentity identity;
            try {
                identity = new LockIdentity(lockId, PublicKeys.ed25519(Base64.getDecoder().decode(request.path("signingKey").asText())),
                        PublicKeys.x25519(Base64.getDecoder().decode(request.path("agreementKey").asText())), keyEpoch);
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, problem(400, e.getMessage()));
                return;
            }
            enrolled.put(lockId, identity);
            secrets.remove(lockId);
            ObjectNode body = JSON.createObjectNode()
                    .put("lockId", lockId)
                    .put("keyEpoch", keyEpoch)
                    .put("signingKeyId", identity.signingKeyId())
                    .put("agreementKeyId", identity.agreementKeyId());
            ObjectNode platformKeys = body.putObject("platform");
            platformKeys.putObject("signingKey").put("keyId", KeyIds.of(platform.signingPublicKey()))
                    .put("spki", Base64.getEncoder().encodeToString(platform.signingPublicKey().getEncoded()));
            platformKeys.putObject("agreementKey").put("keyId", KeyIds.of(platform.agreementPublicKey()))
                    .put("spki", Base64.getEncoder().encodeToString(platform.agreementPublicKey().getEncoded()));
            respond(exchange, 200, body);
        }
    }

    private static ObjectNode problem(int status, String detail) {
        return JSON.createObjectNode().put("type", "https://portcullis.dev/problems/test").put("title", detail).put("status", status)
                .put("detail", detail);
    }

    private static void respond(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
