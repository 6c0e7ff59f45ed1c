package dev.portcullis.console.tenant;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.console.TestProvider;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for policy-service ({@code /v1/me/doors}), command-service (unlock, action attempts) and device-registry's
 * {@code /v1/me/guest-codes} (served on {@link TestProvider}'s registry) in the console's tenant tests; the end-to-end
 * TenantBrowserIT uses the real ones. Each answers only access tokens {@link TestProvider} issued, and records every
 * call with its Authorization header.
 */
public final class TenantStandIns implements QuarkusTestResourceLifecycleManager {

    /** A call as received: method, path, Authorization, Idempotency-Key, body. */
    public record Call(String method, String path, String authorization, String idempotencyKey, String body) {
    }

    public record Answer(int status, String body, Map<String, String> headers) {
        public static Answer json(int status, String body) {
            return new Answer(status, body, Map.of());
        }
    }

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    public static volatile String myDoors = "{\"doors\":[]}";
    public static volatile Answer unlock = Answer.json(500, "{}");
    /** Successive answers of GET /v1/action-attempts/{id}: the last one stays. */
    public static final Map<String, Deque<String>> ATTEMPTS = new ConcurrentHashMap<>();
    public static volatile String guestCodes = "[]";
    public static volatile Answer createGuestCode = Answer.json(500, "{}");

    private static HttpServer policy;
    private static HttpServer command;

    public static void reset() {
        CALLS.clear();
        ATTEMPTS.clear();
        myDoors = "{\"doors\":[]}";
        unlock = Answer.json(500, "{}");
        guestCodes = "[]";
        createGuestCode = Answer.json(500, "{}");
    }

    public static void attempt(String id, String... states) {
        ATTEMPTS.put(id, new ArrayDeque<>(List.of(states)));
    }

    public static List<Call> calls(String pathPrefix) {
        return CALLS.stream().filter(call -> call.path().startsWith(pathPrefix)).toList();
    }

    @Override
    public Map<String, String> start() {
        try {
            policy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            policy.createContext("/v1/me/doors", exchange -> {
                if (known(exchange)) {
                    send(exchange, Answer.json(200, myDoors));
                }
            });
            policy.start();
            command = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            command.createContext("/v1/doors/", exchange -> {
                if (known(exchange)) {
                    send(exchange, unlock);
                }
            });
            command.createContext("/v1/action-attempts/", exchange -> {
                if (!known(exchange)) {
                    return;
                }
                String id = exchange.getRequestURI().getPath().substring("/v1/action-attempts/".length());
                Deque<String> states = ATTEMPTS.get(id);
                if (states == null) {
                    send(exchange, Answer.json(404, "{\"title\":\"Not Found\"}"));
                } else {
                    send(exchange, Answer.json(200, states.size() > 1 ? states.poll() : states.peek()));
                }
            });
            command.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("portcullis.console.policy-url", "http://127.0.0.1:" + policy.getAddress().getPort(),
                "portcullis.console.command-url", "http://127.0.0.1:" + command.getAddress().getPort());
    }

    @Override
    public void stop() {
        policy.stop(0);
        command.stop(0);
    }

    /** device-registry's {@code /v1/me/...} (mounted on TestProvider's registry server). */
    public static void registry(HttpExchange exchange) throws IOException {
        if (!known(exchange)) {
            return;
        }
        String path = exchange.getRequestURI().getPath();
        if (exchange.getRequestMethod().equals("GET") && path.equals("/v1/me/guest-codes")) {
            send(exchange, Answer.json(200, guestCodes));
        } else if (exchange.getRequestMethod().equals("POST") && path.equals("/v1/me/guest-codes")) {
            send(exchange, createGuestCode);
        } else if (exchange.getRequestMethod().equals("POST") && path.endsWith("/revoke")) {
            send(exchange, Answer.json(200, "{\"state\":\"revoke_pending\"}"));
        } else {
            send(exchange, Answer.json(404, "{\"title\":\"Not Found\"}"));
        }
    }

    /** Records the call; answers 401 itself unless the bearer token is the one TestProvider last issued to its subject. */
    private static boolean known(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        CALLS.add(new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), authorization,
                exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
        boolean known = false;
        if (authorization != null && authorization.startsWith("Bearer ")) {
            String token = authorization.substring("Bearer ".length());
            String[] parts = token.split("\\.");
            if (parts.length == 3) {
                String subject = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)).getString("sub");
                known = token.equals(TestProvider.lastAccessTokenOf(subject));
            }
        }
        if (!known) {
            send(exchange, Answer.json(401, "{\"title\":\"Unauthorized\"}"));
        }
        return known;
    }

    private static void send(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.status() >= 400 ? "application/problem+json" : "application/json");
        answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
