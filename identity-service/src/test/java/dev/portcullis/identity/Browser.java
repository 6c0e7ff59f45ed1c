package dev.portcullis.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Plain HTTP for the sign-in pages, as a browser (or the CLI) drives them: no redirects followed, the
 * flow cookie kept, the hidden flow field read from the page.
 */
public final class Browser {

    private static final Pattern FLOW = Pattern.compile("<input type=\"hidden\" name=\"flow\" value=\"([^\"]+)\">");
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private String cookie;
    private String flow;
    /**
     * Sent as X-Forwarded-For (the test profile trusts 127.0.0.1 as a proxy): the client address the
     * service sees. Each browser is its own client unless a test says otherwise, so the failures one
     * test provokes never throttle another test's source.
     */
    private String source = randomSource();

    /** A random private address (10.0.0.0/8), as a distinct client would have. */
    public static String randomSource() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    /** Pretends the requests come from this client address (per-source throttling). */
    public Browser source(String address) {
        source = address;
        return this;
    }

    public HttpResponse<String> get(URI uri) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET();
        if (source != null) {
            request.header("X-Forwarded-For", source);
        }
        HttpResponse<String> response = send(request);
        remember(response);
        return response;
    }

    /** Opens the authorization URI and expects the login page. */
    public HttpResponse<String> authorize(URI uri) {
        HttpResponse<String> response = get(uri);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("<form method=\"post\" action=\"/login\">"), response.body());
        return response;
    }

    public HttpResponse<String> password(String username, String password) {
        return post("/login", Map.of("flow", flow, "username", username, "password", password));
    }

    public HttpResponse<String> totp(String code) {
        return post("/login/totp", Map.of("flow", flow, "code", code));
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(IdentityTestProfile.ISSUER + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            request.header("Cookie", "portcullis_flow=" + cookie);
        }
        if (source != null) {
            request.header("X-Forwarded-For", source);
        }
        HttpResponse<String> response = send(request);
        remember(response);
        return response;
    }

    public String flow() {
        return flow;
    }

    public String cookie() {
        return cookie;
    }

    public void cookie(String value) {
        cookie = value;
    }

    public void flow(String value) {
        flow = value;
    }

    /** The query parameters of a redirect's Location. */
    public static Map<String, String> query(URI location) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (location.getRawQuery() != null) {
            for (String pair : location.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                parameters.put(java.net.URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                        kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return parameters;
    }

    public static Optional<String> setCookie(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("portcullis_flow=")).findFirst();
    }

    private void remember(HttpResponse<String> response) {
        setCookie(response).ifPresent(header -> {
            String value = header.substring("portcullis_flow=".length(), header.indexOf(';') < 0 ? header.length() : header.indexOf(';'));
            cookie = value.isEmpty() ? null : value;
        });
        String body = response.body();
        if (body != null) {
            Matcher matcher = FLOW.matcher(body);
            if (matcher.find()) {
                flow = matcher.group(1);
            }
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
