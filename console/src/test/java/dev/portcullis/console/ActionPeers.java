package dev.portcullis.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stand-ins for command-service and policy-service in the console's action tests. Both answer only access
 * tokens {@link TestProvider} issued. Command-service serves {@code GET /v1/approvals} and the approve route
 * with canned answers; policy-service serves properties and, like the real one, declares or lifts a lockdown
 * only for a token with {@code acr} aal2 (else 401 with the RFC 9470 challenge).
 */
public final class ActionPeers implements QuarkusTestResourceLifecycleManager {

    /** Every request: method, path (with query), Authorization header, body. */
    public static final List<String[]> COMMAND_REQUESTS = new CopyOnWriteArrayList<>();
    public static final List<String[]> POLICY_REQUESTS = new CopyOnWriteArrayList<>();
    /** Canned answers by "METHOD path" below {@code /v1/} (command) or the organization (policy): status and body. */
    public static final Map<String, Answer> COMMAND = new ConcurrentHashMap<>();
    public static final Map<String, Answer> POLICY = new ConcurrentHashMap<>();

    public record Answer(int status, String body) {
    }

    private HttpServer command;
    private HttpServer policy;

    public static void reset() {
        COMMAND_REQUESTS.clear();
        POLICY_REQUESTS.clear();
        COMMAND.clear();
        POLICY.clear();
    }

    @Override
    public Map<String, String> start() {
        try {
            command = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            command.createContext("/v1/", exchange -> answer(exchange, "/v1/", COMMAND_REQUESTS, COMMAND, false));
            command.start();
            policy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            policy.createContext("/admin/v1/organizations/" + TestProvider.ORG + "/",
                    exchange -> answer(exchange, "/admin/v1/organizations/" + TestProvider.ORG + "/", POLICY_REQUESTS, POLICY, true));
            policy.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("portcullis.console.command-url", "http://127.0.0.1:" + command.getAddress().getPort(),
                "portcullis.console.policy-url", "http://127.0.0.1:" + policy.getAddress().getPort());
    }

    @Override
    public void stop() {
        command.stop(0);
        policy.stop(0);
    }

    private static void answer(HttpExchange exchange, String prefix, List<String[]> requests, Map<String, Answer> answers, boolean isPolicy)
            throws IOException {
        String path = exchange.getRequestURI().getPath();
        String query = exchange.getRequestURI().getRawQuery();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String method = exchange.getRequestMethod();
        requests.add(new String[] {method, query == null ? path : path + "?" + query, authorization,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
        String token = authorization == null || !authorization.startsWith("Bearer ") ? null : authorization.substring(7);
        if (!TestProvider.issued(token)) {
            send(exchange, 401, "{\"title\":\"Unauthorized\"}", null);
            return;
        }
        boolean lockdown = isPolicy && path.endsWith("/lockdown") && !"GET".equals(method);
        if (lockdown && !"aal2".equals(claims(token).getString("acr"))) {
            send(exchange, 401, "{\"type\":\"step-up-required\",\"title\":\"Step-up required\"}",
                    "Bearer error=\"insufficient_user_authentication\", error_description=\"A lockdown needs a recent second factor\","
                            + " acr_values=\"aal2\", max_age=900");
            return;
        }
        Answer answer = answers.get(method + " " + path.substring(prefix.length()));
        if (answer == null) {
            send(exchange, 404, "{\"title\":\"Not Found\"}", null);
        } else {
            send(exchange, answer.status(), answer.body(), null);
        }
    }

    static JsonObject claims(String jwt) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String body, String challenge) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status / 100 == 2 ? "application/json" : "application/problem+json");
        if (challenge != null) {
            exchange.getResponseHeaders().add("WWW-Authenticate", challenge);
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }
}
