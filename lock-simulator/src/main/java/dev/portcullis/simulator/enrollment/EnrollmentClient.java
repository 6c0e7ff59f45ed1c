package dev.portcullis.simulator.enrollment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.lock.protocol.LockKeys;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Calls device-registry's enrollment endpoint. Classifies the answer: enrolled; refused for good
 * (401: wrong, used or expired secret, or unknown lock; other 4xx: a request the registry will never
 * accept); or unavailable (no connection, timeout, 5xx, 429), which the caller retries with backoff.
 */
public final class EnrollmentClient {

    /** How an enrollment attempt ended. */
    public sealed interface Result permits Enrolled, Refused, Unavailable {
    }

    public record Enrolled(EnrollmentResponse response) implements Result {
    }

    /** Final: retrying with the same secret cannot succeed (and would count as a failed attempt). */
    public record Refused(int status, String detail) implements Result {
    }

    /** Transient: the registry is not reachable or not ready yet. */
    public record Unavailable(String why) implements Result {
    }

    private static final int MAX_DETAIL = 300;

    private final HttpClient http;
    private final String registryUrl;
    private final ObjectMapper json;
    private final Duration requestTimeout;

    public EnrollmentClient(HttpClient http, String registryUrl, ObjectMapper json, Duration requestTimeout) {
        this.http = http;
        this.registryUrl = registryUrl.endsWith("/") ? registryUrl.substring(0, registryUrl.length() - 1) : registryUrl;
        this.json = json;
        this.requestTimeout = requestTimeout;
    }

    public CompletableFuture<Result> enroll(String lockId, String enrollmentSecret, LockKeys keys, String firmwareVersion) {
        Base64.Encoder base64 = Base64.getEncoder();
        EnrollmentRequest body = new EnrollmentRequest(enrollmentSecret,
                base64.encodeToString(keys.signingPublicKey().getEncoded()),
                base64.encodeToString(keys.agreementPublicKey().getEncoded()), firmwareVersion);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(registryUrl + "/v1/locks/"
                            + URLEncoder.encode(lockId, StandardCharsets.UTF_8).replace("+", "%20") + "/enrollment"))
                    .timeout(requestTimeout)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)))
                    .build();
        } catch (IOException | IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Refused(0, "cannot build the enrollment request: " + e.getMessage()));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> failure != null ? unavailable(failure) : classify(response));
    }

    private Result classify(HttpResponse<byte[]> response) {
        int status = response.statusCode();
        if (status == 200 || status == 201) {
            try {
                return new Enrolled(json.readValue(response.body(), EnrollmentResponse.class));
            } catch (IOException e) {
                return new Refused(status, "the registry's enrollment answer is not valid JSON: " + e.getMessage());
            }
        }
        if (status >= 500 || status == 429 || status == 408) {
            return new Unavailable("registry answered " + status);
        }
        return new Refused(status, detail(response.body()));
    }

    private String detail(byte[] body) {
        try {
            JsonNode problem = json.readTree(body);
            String detail = problem.path("detail").asText(problem.path("title").asText(""));
            return detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "..." : detail;
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static Result unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return new Unavailable(cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage()));
    }
}
