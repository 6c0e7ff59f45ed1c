package dev.portcullis.load;

import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import dev.portcullis.launcher.OidcLogin;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The operations a scenario sends: each a non-blocking chain of HTTP requests ending in an outcome. */
public final class Operations {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern FLOW = Pattern.compile("name=\"flow\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"flow\"");

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5))
            // Its own bounded executor: on two cores the JDK's defaults otherwise start a thread per burst of completions.
            .executor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "load-http");
                thread.setDaemon(true);
                return thread;
            }))
            .build();

    /** Unlocks of the given doors in turn, each with a fresh Idempotency-Key, all with one access token. */
    public Supplier<CompletableFuture<String>> unlock(URI commandUrl, List<String> doorIds, String accessToken) {
        return unlock(commandUrl, doorIds, () -> accessToken);
    }

    /** As above, with the token of the moment (refreshed while a long run goes on). */
    public Supplier<CompletableFuture<String>> unlock(URI commandUrl, List<String> doorIds, Supplier<String> accessToken) {
        AtomicLong next = new AtomicLong();
        return () -> {
            String door = doorIds.get((int) (next.getAndIncrement() % doorIds.size()));
            HttpRequest request = HttpRequest.newBuilder(commandUrl.resolve("/v1/doors/" + door + "/unlock"))
                    .timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + accessToken.get())
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> (response.statusCode() == 503 || response.statusCode() == 429)
                            && response.headers().firstValue("Retry-After").isEmpty()
                            ? "http " + response.statusCode() + " without Retry-After"
                            : Outcomes.ofUnlock(response.statusCode(), response.body()));
        };
    }

    /** A read of one action attempt (command-service, database only): ok on 200. */
    public Supplier<CompletableFuture<String>> readAttempt(URI commandUrl, String attemptId, Supplier<String> accessToken) {
        return () -> http.sendAsync(HttpRequest.newBuilder(commandUrl.resolve("/v1/action-attempts/" + attemptId)).timeout(TIMEOUT)
                        .header("Authorization", "Bearer " + accessToken.get()).GET().build(), HttpResponse.BodyHandlers.ofString())
                .thenApply(response -> response.statusCode() == 200 ? OpenLoop.OK : "http " + response.statusCode());
    }

    /**
     * A partner's client-credentials token: a private_key_jwt assertion signed per request (part of the
     * measured work, client side), one POST to the token endpoint; ok on 200 with an access token.
     */
    public Supplier<CompletableFuture<String>> partnerToken(URI issuer, Partner partner) {
        URI endpoint = issuer.resolve("/oauth2/token");
        return () -> {
            String form = "grant_type=client_credentials&scope=unlock"
                    + "&client_assertion_type=" + encode("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
                    + "&client_assertion=" + encode(partner.assertion(endpoint));
            return http.sendAsync(HttpRequest.newBuilder(endpoint).timeout(TIMEOUT)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 200 && response.body().contains("\"access_token\"")
                            ? OpenLoop.OK : "token http " + response.statusCode());
        };
    }

    /**
     * A lock event (door opened, then closed, ...) reported by a simulated lock up its gateway stream; ok on
     * the simulator's 202 (sent on the stream). command-service records it and publishes it; audit-service stores it.
     */
    public Supplier<CompletableFuture<String>> lockEvent(URI simulatorUrl, List<String> lockIds) {
        AtomicLong next = new AtomicLong();
        return () -> {
            long n = next.getAndIncrement();
            String lock = lockIds.get((int) (n % lockIds.size()));
            String type = (n / lockIds.size()) % 2 == 0 ? "DOOR_OPENED" : "DOOR_CLOSED";
            return http.sendAsync(HttpRequest.newBuilder(simulatorUrl.resolve("/v1/locks/" + lock + "/events")).timeout(TIMEOUT)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"" + type + "\"}")).build(),
                            HttpResponse.BodyHandlers.ofString())
                    .thenApply(response -> response.statusCode() == 202 ? OpenLoop.OK : "event http " + response.statusCode());
        };
    }

    /**
     * A sign-in's first factor as a browser does it: a fresh authorization request (PKCE S256), the login
     * page, then username and password posted; done when the TOTP page comes back.
     */
    public Supplier<CompletableFuture<String>> passwordStep(URI issuer, String username, String password) {
        return () -> {
            URI authorize = new AuthenticationRequest.Builder(new ResponseType(ResponseType.Value.CODE),
                    new Scope("openid", "profile", "unlock"), new ClientID(OidcLogin.CLI_CLIENT_ID), OidcLogin.CLI_REDIRECT_URI)
                    .endpointURI(issuer.resolve("/oauth2/authorize"))
                    .state(new State())
                    .nonce(new Nonce())
                    .codeChallenge(new CodeVerifier(), CodeChallengeMethod.S256)
                    .build()
                    .toURI();
            return http.sendAsync(HttpRequest.newBuilder(authorize).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString())
                    .thenCompose(page -> {
                        if (page.statusCode() != 200) {
                            return CompletableFuture.completedFuture("login page http " + page.statusCode());
                        }
                        Matcher flow = FLOW.matcher(page.body());
                        if (!flow.find()) {
                            return CompletableFuture.completedFuture("login page without flow");
                        }
                        String form = "flow=" + encode(flow.group(1) != null ? flow.group(1) : flow.group(2))
                                + "&username=" + encode(username) + "&password=" + encode(password);
                        HttpRequest.Builder post = HttpRequest.newBuilder(issuer.resolve("/login")).timeout(TIMEOUT)
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(form));
                        String cookies = page.headers().allValues("Set-Cookie").stream()
                                .map(cookie -> cookie.split(";", 2)[0]).collect(Collectors.joining("; "));
                        if (!cookies.isEmpty()) {
                            post.header("Cookie", cookies);
                        }
                        return http.sendAsync(post.build(), HttpResponse.BodyHandlers.ofString())
                                .thenApply(step -> step.statusCode() == 200 ? OpenLoop.OK : "password step http " + step.statusCode());
                    });
        };
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
