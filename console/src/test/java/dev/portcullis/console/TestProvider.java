package dev.portcullis.console;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for identity-service and device-registry in the console's own tests (the end-to-end suite's
 * ConsoleBrowserIT uses the real ones): a loopback OIDC provider that answers the authorization-code flow
 * for whoever {@link #nextLogin} names, checking the PKCE verifier (S256) at its token endpoint, and a
 * registry that serves canned operator-API answers only for the bearer token it last issued.
 */
public final class TestProvider implements QuarkusTestResourceLifecycleManager {

    public static final String ORG = "6f0d7a52-0c1e-4c55-9d1c-3b9f0b1a7e01";

    private static HttpServer oidc;
    private static HttpServer registry;
    private static ECKey key;
    private static String issuer;
    private static volatile Login next;
    private static final Map<String, Pending> CODES = new ConcurrentHashMap<>();
    /** Operator-API answers by path below the organization, e.g. {@code locks}. */
    public static final Map<String, String> REGISTRY = new ConcurrentHashMap<>();
    /** The Authorization headers and paths device-registry received, in order. */
    public static final List<String[]> REGISTRY_CALLS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final Map<String, String> ISSUED_ACCESS_TOKENS = new ConcurrentHashMap<>();
    public static volatile int registryStatus = 200;
    /** Every request device-registry received: method, path (with query), Authorization header, body. */
    public static final List<String[]> REGISTRY_REQUESTS = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The query of every authorization request, in order (to see {@code acr_values}, {@code max_age}). */
    public static final List<Map<String, String>> AUTHORIZATIONS = new java.util.concurrent.CopyOnWriteArrayList<>();

    public record Login(String subject, String organization, List<String> roles) {
    }

    private record Pending(Login login, String challenge, String clientId, String nonce, String acrValues) {
    }

    /** Who the next visit to the authorization endpoint signs in. */
    public static void nextLogin(String subject, String organization, String... roles) {
        next = new Login(subject, organization, List.of(roles));
    }

    public static String lastAccessTokenOf(String subject) {
        return ISSUED_ACCESS_TOKENS.get(subject);
    }

    /** Whether this provider issued the access token (and it is its subject's latest). */
    public static boolean issued(String accessToken) {
        return accessToken != null && ISSUED_ACCESS_TOKENS.containsValue(accessToken);
    }

    @Override
    public Map<String, String> start() {
        try {
            key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            oidc = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            issuer = "http://127.0.0.1:" + oidc.getAddress().getPort();
            oidc.createContext("/.well-known/openid-configuration", exchange -> send(exchange, 200, """
                    {"issuer":"%1$s","jwks_uri":"%1$s/jwks","authorization_endpoint":"%1$s/authorize",
                     "token_endpoint":"%1$s/token","end_session_endpoint":"%1$s/logout","response_types_supported":["code"],"subject_types_supported":["public"],
                     "id_token_signing_alg_values_supported":["ES256"],"code_challenge_methods_supported":["S256"]}"""
                    .formatted(issuer)));
            oidc.createContext("/jwks", exchange -> send(exchange, 200, new JWKSet(key.toPublicJWK()).toString()));
            oidc.createContext("/authorize", TestProvider::authorize);
            oidc.createContext("/token", TestProvider::token);
            oidc.createContext("/logout", exchange -> send(exchange, 200, "{\"signedOut\":true}"));
            oidc.start();
            registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            registry.createContext("/admin/v1/organizations/", TestProvider::registry);
            registry.createContext("/v1/me/", dev.portcullis.console.tenant.TenantStandIns::registry);
            registry.start();
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("quarkus.oidc.auth-server-url", issuer,
                "portcullis.console.registry-url", "http://127.0.0.1:" + registry.getAddress().getPort());
    }

    @Override
    public void stop() {
        oidc.stop(0);
        registry.stop(0);
    }

    private static void authorize(HttpExchange exchange) throws IOException {
        Map<String, String> query = form(exchange.getRequestURI().getRawQuery());
        if (!"S256".equals(query.get("code_challenge_method")) || query.get("code_challenge") == null) {
            send(exchange, 400, "{\"error\":\"invalid_request\",\"error_description\":\"PKCE with S256 is required\"}");
            return;
        }
        AUTHORIZATIONS.add(query);
        String code = UUID.randomUUID().toString();
        CODES.put(code, new Pending(next, query.get("code_challenge"), query.get("client_id"), query.get("nonce"), query.get("acr_values")));
        String location = query.get("redirect_uri") + "?code=" + code + "&state=" + URLEncoder.encode(query.get("state"), StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Location", location);
        exchange.sendResponseHeaders(302, -1);
        exchange.close();
    }

    private static void token(HttpExchange exchange) throws IOException {
        Map<String, String> body = form(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Pending pending = CODES.remove(String.valueOf(body.get("code")));
        if (pending == null || body.get("code_verifier") == null || !pending.challenge().equals(s256(body.get("code_verifier")))) {
            send(exchange, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        try {
            Instant now = Instant.now();
            Login login = pending.login();
            JWTClaimsSet.Builder id = new JWTClaimsSet.Builder().issuer(issuer).subject(login.subject()).audience(pending.clientId())
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)));
            if (pending.nonce() != null) {
                id.claim("nonce", pending.nonce());
            }
            JWTClaimsSet access = new JWTClaimsSet.Builder().issuer(issuer).subject(login.subject()).audience("portcullis-api")
                    .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString())
                    .claim("org", login.organization()).claim("roles", login.roles()).claim("client_id", pending.clientId())
                    // a password sign-in, unless the client asked for a second factor (then it was asked for)
                    .claim("acr", pending.acrValues() != null && pending.acrValues().contains("aal2") ? "aal2" : "aal1")
                    .claim("auth_time", now.getEpochSecond()).build();
            String accessToken = sign(access, new JOSEObjectType("at+jwt"));
            ISSUED_ACCESS_TOKENS.put(login.subject(), accessToken);
            send(exchange, 200, "{\"access_token\":\"%s\",\"id_token\":\"%s\",\"token_type\":\"Bearer\",\"expires_in\":300}"
                    .formatted(accessToken, sign(id.build(), JOSEObjectType.JWT)));
        } catch (JOSEException e) {
            send(exchange, 500, "{}");
        }
    }

    private static void registry(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        REGISTRY_CALLS.add(new String[] {authorization, path});
        String query = exchange.getRequestURI().getRawQuery();
        String method = exchange.getRequestMethod();
        REGISTRY_REQUESTS.add(new String[] {method, query == null ? path : path + "?" + query, authorization,
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)});
        boolean known = authorization != null && ISSUED_ACCESS_TOKENS.containsValue(authorization.substring("Bearer ".length()));
        if (!known) {
            send(exchange, 401, "{\"title\":\"Unauthorized\"}");
            return;
        }
        String prefix = "/admin/v1/organizations/" + ORG + "/";
        String answer = null;
        if (path.startsWith(prefix)) {
            // most specific first: "POST units/…/turnover", "credentials?unitId=…", then the path alone
            String below = path.substring(prefix.length());
            String withQuery = query == null ? below : below + "?" + query;
            for (String key : new String[] {method + " " + withQuery, withQuery, method + " " + below, below}) {
                answer = answer != null ? answer : REGISTRY.get(key);
            }
        }
        if (registryStatus != 200) {
            send(exchange, registryStatus, "{\"title\":\"refused\"}");
        } else if (answer == null) {
            send(exchange, 404, "{\"title\":\"Not Found\"}");
        } else {
            send(exchange, 200, answer);
        }
    }

    private static String sign(JWTClaimsSet claims, JOSEObjectType type) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).type(type).build(), claims);
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, String> form(String raw) {
        Map<String, String> map = new HashMap<>();
        if (raw == null) {
            return map;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                map.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return map;
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
