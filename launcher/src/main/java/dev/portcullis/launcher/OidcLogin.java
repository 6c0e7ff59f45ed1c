package dev.portcullis.launcher;

import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Logs a person in the way a browser would, headless: authorization code + PKCE (S256) against
 * identity-service, password then TOTP on the hosted pages, code exchanged with the Nimbus OIDC client.
 * Used by `./portcullis token` and by the end-to-end suite.
 */
public final class OidcLogin {

    public static final String CLI_CLIENT_ID = CodeFlow.CLIENT_ID;
    public static final URI CLI_REDIRECT_URI = CodeFlow.REDIRECT_URI;

    private static final Pattern FLOW = Pattern.compile("name=\"flow\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"flow\"");

    private final URI issuer;
    private final Map<String, String> headers;
    private final HttpClient http;

    public OidcLogin(URI issuer) {
        this(issuer, Map.of());
    }

    /** {@code headers} go with every request of the sign-in, e.g. a W3C {@code traceparent}. */
    public OidcLogin(URI issuer, Map<String, String> headers) {
        this.issuer = issuer;
        this.headers = Map.copyOf(headers);
        this.http = HttpClient.newBuilder()
                .cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** The tokens for a user who signs in with password and the TOTP code of the moment. */
    public OIDCTokens login(String username, String password, Supplier<String> totpCode) {
        try {
            CodeFlow flow = new CodeFlow(issuer);
            HttpResponse<String> loginPage = send(request(flow.authorizationUri()).GET().build());
            expect(loginPage, 200, "login page");
            HttpResponse<String> totpPage = send(form(resolve("/login"), Map.of(
                    "flow", flow(loginPage.body()), "username", username, "password", password)));
            expect(totpPage, 200, "password step");
            HttpResponse<String> redirect = send(form(resolve("/login/totp"), Map.of(
                    "flow", flow(totpPage.body()), "code", totpCode.get())));
            expect(redirect, 302, "TOTP step");
            return flow.exchange(URI.create(redirect.headers().firstValue("Location").orElseThrow()), headers);
        } catch (IOException | com.nimbusds.oauth2.sdk.GeneralException e) {
            throw new IllegalStateException("login failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Convenience for the demo: the TOTP code is computed from the secret at the moment it is needed. */
    public OIDCTokens login(String username, String password, String totpSecret) {
        return login(username, password, () -> Totp.code(totpSecret, Instant.now()));
    }

    private URI resolve(String path) {
        return issuer.resolve(path);
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri);
        headers.forEach(builder::header);
        return builder;
    }

    private HttpRequest form(URI uri, Map<String, String> fields) {
        String body = fields.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return request(uri)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private static String flow(String html) {
        Matcher matcher = FLOW.matcher(html);
        if (!matcher.find()) {
            throw new IllegalStateException("the page has no login flow field");
        }
        return matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
    }

    private static void expect(HttpResponse<String> response, int status, String step) {
        if (response.statusCode() != status) {
            throw new IllegalStateException(step + " answered " + response.statusCode() + " (expected " + status + ")");
        }
    }
}
