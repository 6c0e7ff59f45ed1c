package dev.portcullis.command.benchmark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.command.support.PeerServices;
import dev.portcullis.command.support.TestLock;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuer;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Open-loop load driver for the unlock path: HTTP request in → token verified → attempt recorded →
 * policy asked (gRPC) → door resolved (gRPC) → counter allocated, command sealed and signed → sent down
 * a lock's gateway stream → the lock (real lock-side verifier) acknowledges with a signature → verified
 * → outcome recorded → answer. Real PostgreSQL, Kafka (outbox relay running), gRPC and HTTP; policy and
 * registry are the in-JVM gRPC peers of the tests; the driver and the locks share the JVM and the 2 cores.
 * Latency is measured from each request's scheduled send time (no coordinated omission).
 * Run: {@code ./mvnw -pl command-service verify -Pbenchmark -Dtest=UnlockBenchmark}.
 */
@Tag("benchmark")
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class UnlockBenchmark {

    private static final String ORG = UUID.randomUUID().toString();
    private static final int LOCKS = Integer.getInteger("bench.locks", 50);
    private static final int PEOPLE = 100;
    private static final Duration WARM_UP = Duration.ofSeconds(Integer.getInteger("bench.warmup-seconds", 5));
    private static final Duration MEASURE = Duration.ofSeconds(Integer.getInteger("bench.seconds", 20));

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void unlocksPerSecond() throws Exception {
        PeerServices.POLICY.set(PeerServices.PolicyMode.PERMIT);
        List<String> doors = new ArrayList<>();
        List<TestLock> locks = new ArrayList<>();
        for (int i = 0; i < LOCKS; i++) {
            String door = UUID.randomUUID().toString();
            TestLock lock = new TestLock();
            PeerServices.enroll(ORG, door, lock);
            lock.connect(port);
            doors.add(door);
            locks.add(lock);
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < PEOPLE; i++) {
            tokens.add(TestIssuer.shared().token(UUID.randomUUID().toString(), ORG, "tenant").issuedAgo(Duration.ZERO, Duration.ofHours(1)).sign());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                // its own threads: on 2 cores the common pool has one thread and CompletableFuture would start a thread per task
                .executor(Executors.newFixedThreadPool(4))
                .build();
        StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
                "unlock path, %d locks, %d people, %d s measured per rate (after %d s warm-up), %d cores%n",
                LOCKS, PEOPLE, MEASURE.toSeconds(), WARM_UP.toSeconds(), Runtime.getRuntime().availableProcessors()));
        try {
            for (int rate : java.util.Arrays.stream(System.getProperty("bench.rates", "50,200,500").split(",")).mapToInt(Integer::parseInt).toArray()) {
                run(http, doors, tokens, rate, WARM_UP, null);
                Result result = new Result();
                run(http, doors, tokens, rate, MEASURE, result);
                Histogram h = result.latency.getIntervalHistogram();
                String line = String.format(Locale.ROOT,
                        "offered %4d/s: completed %7.1f/s, succeeded %d of %d (driver dropped %d over %d in flight), p50 %6.2f ms, p90 %6.2f ms, p99 %7.2f ms, max %7.2f ms%n",
                        rate, result.completed.get() / (double) MEASURE.toSeconds(), result.succeeded.get(), result.sent.get(), result.dropped.get(), MAX_IN_FLIGHT,
                        h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                        h.getMaxValue() / 1e3);
                report.append(line);
                System.out.print("[bench] " + line);
            }
        } finally {
            locks.forEach(TestLock::close);
        }
        Path out = Path.of("target", "benchmark-unlock.txt");
        Files.writeString(out, report, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        assertTrue(report.length() > 0);
    }

    private static final class Result {
        final Recorder latency = new Recorder(3);
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger completed = new AtomicInteger();
        final AtomicInteger succeeded = new AtomicInteger();
        final AtomicInteger dropped = new AtomicInteger();
    }

    /** Requests in flight at most: beyond it the driver drops (and counts) a request rather than open ever more connections. */
    private static final int MAX_IN_FLIGHT = 1_500;
    private final java.util.concurrent.Semaphore inFlightSlots = new java.util.concurrent.Semaphore(MAX_IN_FLIGHT);

    private void run(HttpClient http, List<String> doors, List<String> tokens, int rate, Duration length, Result result)
            throws InterruptedException {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long total = length.toSeconds() * rate;
        AtomicLong index = new AtomicLong();
        List<CompletableFuture<?>> inFlight = java.util.Collections.synchronizedList(new ArrayList<>());
        ticker.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            // send every request whose scheduled time has come (catches up after a stall instead of omitting)
            while (index.get() < total && start + index.get() * intervalNanos <= now) {
                long i = index.getAndIncrement();
                long scheduled = start + i * intervalNanos;
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v1/doors/"
                                + doors.get((int) (i % doors.size())) + "/unlock"))
                        .header("Authorization", "Bearer " + tokens.get((int) (i % tokens.size())))
                        .header("Idempotency-Key", UUID.randomUUID().toString())
                        .timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build();
                if (result != null) {
                    result.sent.incrementAndGet();
                }
                if (!inFlightSlots.tryAcquire()) {
                    if (result != null) {
                        result.dropped.incrementAndGet();
                    }
                    continue;
                }
                inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                    inFlightSlots.release();
                    if (result == null) {
                        return;
                    }
                    result.latency.recordValue(Math.max(1, (System.nanoTime() - scheduled) / 1_000));
                    result.completed.incrementAndGet();
                    if (failure == null && response.statusCode() == 201 && response.body().contains("\"succeeded\"")) {
                        result.succeeded.incrementAndGet();
                    }
                }));
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        while (index.get() < total) {
            Thread.sleep(50);
        }
        ticker.shutdown();
        for (CompletableFuture<?> future : List.copyOf(inFlight)) {
            try {
                future.get(60, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // counted as not succeeded
            }
        }
    }
}
