package dev.portcullis.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class OpenLoopTest {

    /**
     * The sender stalls once for 300 ms (as a driver does when a GC or a blocking call hits it): the requests due
     * during the stall go out late, and their latency counts from when they were due, not from when they left.
     */
    @Test
    void latencyRunsFromTheIntendedSendTime() {
        AtomicInteger calls = new AtomicInteger();
        OpenLoop.Result result = OpenLoop.run("stall", 100, Duration.ofSeconds(1), 100, () -> {
            if (calls.incrementAndGet() == 10) {
                sleep(300);
            }
            return CompletableFuture.completedFuture(OpenLoop.OK);
        });
        assertEquals(100, result.sent());
        assertEquals(100, result.ok());
        assertTrue(result.latencyMicros().getMaxValue() >= 250_000, "the stalled request: " + result.latencyMicros().getMaxValue() + " µs");
        long late = result.latencyMicros().getCountBetweenValues(100_000, Long.MAX_VALUE / 2);
        assertTrue(late >= 15, "requests due during the stall are charged for it: " + late);
    }

    @Test
    void failuresAreCountedByKindAndKeptOutOfThePercentiles() {
        AtomicInteger calls = new AtomicInteger();
        OpenLoop.Result result = OpenLoop.run("mixed", 50, Duration.ofSeconds(1), 100, () -> switch (calls.incrementAndGet() % 5) {
            case 0 -> CompletableFuture.failedFuture(new HttpTimeoutException("request timed out"));
            case 1 -> CompletableFuture.completedFuture(Outcomes.ofUnlock(429, "{\"limit\":\"user\"}"));
            default -> CompletableFuture.completedFuture(OpenLoop.OK);
        });
        assertEquals(50, result.sent());
        assertEquals(30, result.ok());
        assertEquals(30, result.latencyMicros().getTotalCount());
        assertEquals(Map.of("timeout", 10L, "429 user", 10L), result.errors());
    }

    @Test
    void requestsBeyondTheInFlightCapAreNotSent() {
        CompletableFuture<String> never = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        OpenLoop.Result[] result = new OpenLoop.Result[1];
        Thread run = new Thread(() -> result[0] = OpenLoop.run("capped", 20, Duration.ofSeconds(1), 5, () -> {
            calls.incrementAndGet();
            return never;
        }));
        run.start();
        sleep(1_500);
        never.complete("http 503");
        join(run);
        assertEquals(5, calls.get());
        assertEquals(5, result[0].sent());
        assertEquals(Map.of("client-saturated", 15L, "http 503", 5L), result[0].errors());
    }

    @Test
    void unlockOutcomesNameWhatCameBack() {
        assertEquals(OpenLoop.OK, Outcomes.ofUnlock(201, "{\"id\":\"a\",\"status\":\"succeeded\"}"));
        assertEquals("201 failed", Outcomes.ofUnlock(201, "{\"id\":\"a\",\"status\":\"failed\"}"));
        assertEquals("403 POLICY_UNAVAILABLE", Outcomes.ofUnlock(403, "{\"reasons\":[\"POLICY_UNAVAILABLE\"]}"));
        assertEquals("http 502", Outcomes.ofUnlock(502, ""));
        assertEquals("503 overloaded", Outcomes.ofUnlock(503, "{\"type\":\"https://portcullis.dev/problems/overloaded\",\"status\":503}"));
    }

    @Test
    void answeredRefusalsAreCountedWithTheirOwnLatencyNotAsSuccesses() {
        AtomicInteger calls = new AtomicInteger();
        OpenLoop.Result result = OpenLoop.run("shed", 100, Duration.ofSeconds(1), 100, () -> CompletableFuture.completedFuture(
                calls.incrementAndGet() % 2 == 0 ? "503 overloaded" : calls.get() % 3 == 0 ? "429 user" : OpenLoop.OK));
        assertEquals(100, result.sent());
        assertEquals(result.ok() + result.refused(), 100);
        assertEquals(50 - result.errors().getOrDefault("429 user", 0L), result.ok());
        assertEquals(50L, result.errors().get("503 overloaded"));
        assertEquals(result.refused(), result.refusalMicros().getTotalCount());
        assertEquals(result.ok(), result.latencyMicros().getTotalCount());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
