package dev.portcullis.load.fault;

import dev.portcullis.load.OpenLoop;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Unlocks at a constant rate ({@link OpenLoop}) that keeps what each one answered: its Idempotency-Key, the
 * action attempt id (from a 201 body or a problem's {@code actionAttemptId}), the status and how long it took.
 */
final class UnlockLoad {

    private static final Pattern ATTEMPT_ID = Pattern.compile("\"(?:id|actionAttemptId)\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    private static final Pattern STATUS = Pattern.compile("\"status\"\\s*:\\s*\"([a-z_]+)\"");

    /** One unlock as the client saw it: {@code kind} is "ok" (201 succeeded), "http N", "201 status", or the I/O failure. */
    record Outcome(String doorId, String idempotencyKey, String attemptId, int status, String kind, long sentAtMillis, long millis) {
        boolean ok() {
            return OpenLoop.OK.equals(kind);
        }
    }

    private final URI commandUrl;
    private final List<String> doorIds;
    private final String token;
    private final Duration timeout;
    private final ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final long origin = System.nanoTime();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4, runnable -> {
                Thread thread = new Thread(runnable, "fault-load-http");
                thread.setDaemon(true);
                return thread;
            }))
            .build();

    UnlockLoad(URI commandUrl, List<String> doorIds, String token, Duration timeout) {
        this.commandUrl = commandUrl;
        this.doorIds = doorIds;
        this.token = token;
        this.timeout = timeout;
    }

    /** Sends {@code rate × seconds} unlocks (the doors in turn) and waits for them (bounded by OpenLoop's drain). */
    OpenLoop.Result run(String label, int rate, Duration duration, int maxInFlight) {
        AtomicLong next = new AtomicLong();
        Supplier<CompletableFuture<String>> unlock = () -> {
            String door = doorIds.get((int) (next.getAndIncrement() % doorIds.size()));
            String key = UUID.randomUUID().toString();
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(commandUrl.resolve("/v1/doors/" + door + "/unlock"))
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token)
                    .header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                long millis = (System.nanoTime() - sent) / 1_000_000;
                long at = (sent - origin) / 1_000_000;
                Outcome outcome;
                if (failure != null) {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    outcome = new Outcome(door, key, null, 0, cause.getClass().getSimpleName(), at, millis);
                } else {
                    String body = response.body() == null ? "" : response.body();
                    String status = find(STATUS, body);
                    String kind = response.statusCode() == 201 && "succeeded".equals(status) ? OpenLoop.OK
                            : response.statusCode() == 201 ? "201 " + status : "http " + response.statusCode();
                    outcome = new Outcome(door, key, find(ATTEMPT_ID, body), response.statusCode(), kind, at, millis);
                }
                outcomes.add(outcome);
                return outcome.kind();
            });
        };
        OpenLoop.Result result = OpenLoop.run(label, rate, duration, maxInFlight, unlock);
        System.out.printf("[fault] %s: %d sent, %d ok, errors %s%n", label, result.sent(), result.ok(), result.errors());
        return result;
    }

    List<Outcome> outcomes() {
        return new ArrayList<>(outcomes);
    }

    /** The action attempt ids the service named in its answers. */
    List<String> attemptIds() {
        return outcomes.stream().map(Outcome::attemptId).filter(id -> id != null).distinct().toList();
    }

    long succeeded() {
        return outcomes.stream().filter(Outcome::ok).count();
    }

    /** Outcome kind → count, e.g. {ok=290, http 503=10}. */
    Map<String, Long> kinds() {
        return new TreeMap<>(outcomes.stream().collect(Collectors.groupingBy(Outcome::kind, Collectors.counting())));
    }

    /** The longest time any non-successful answer took (0 when all succeeded). */
    long slowestFailureMillis() {
        return outcomes.stream().filter(outcome -> !outcome.ok()).mapToLong(Outcome::millis).max().orElse(0);
    }

    private static String find(Pattern pattern, String body) {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? matcher.group(1) : null;
    }
}
