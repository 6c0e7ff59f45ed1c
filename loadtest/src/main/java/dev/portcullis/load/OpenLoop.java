package dev.portcullis.load;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Open-loop, constant-rate load: request {@code i} is due at {@code start + i / rate} whether or not earlier
 * ones have answered, and its latency runs from that intended time, not from when it was actually sent, so a
 * stalled server (or a driver that fell behind) shows up in the percentiles instead of being hidden
 * (coordinated omission). Requests beyond {@code maxInFlight} outstanding are not sent and counted as
 * {@code client-saturated}. Every run is bounded: its request count, and a drain of at most 30 s.
 */
public final class OpenLoop {

    /** One finished operation: "ok", or the kind of failure. */
    public static final String OK = "ok";

    private static final Duration DRAIN = Duration.ofSeconds(30);

    private OpenLoop() {
    }

    /**
     * {@code refusalMicros}: latency of the answered refusals (429 and 503, load shed or rate limited), from
     * the intended send time as for successes.
     */
    public record Result(String label, int offeredPerSecond, long sent, long ok, double completedPerSecond, Histogram latencyMicros,
            Map<String, Long> errors, Histogram refusalMicros) {

        public long refused() {
            return refusalMicros.getTotalCount();
        }
    }

    /** Whether an outcome is a refusal the server answered (rate limit or load shedding), not a failure. */
    static boolean isRefusal(String outcome) {
        return outcome.startsWith("429 ") || outcome.startsWith("503 ");
    }

    public static Result run(String label, int rate, Duration duration, int maxInFlight, Supplier<CompletableFuture<String>> operation) {
        long total = rate * duration.toSeconds();
        long periodNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3);
        ConcurrentHistogram refusals = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(120), 3);
        Map<String, AtomicLong> errors = new ConcurrentHashMap<>();
        AtomicInteger inFlight = new AtomicInteger();
        AtomicLong ok = new AtomicLong();
        AtomicLong lastCompletion = new AtomicLong();
        long start = System.nanoTime();
        long sent = 0;
        for (long i = 0; i < total; i++) {
            long intended = start + i * periodNanos;
            for (long wait = intended - System.nanoTime(); wait > 0; wait = intended - System.nanoTime()) {
                LockSupport.parkNanos(wait);
            }
            if (inFlight.get() >= maxInFlight) {
                errors.computeIfAbsent("client-saturated", kind -> new AtomicLong()).incrementAndGet();
                continue;
            }
            inFlight.incrementAndGet();
            sent++;
            CompletableFuture<String> future;
            try {
                future = operation.get();
            } catch (RuntimeException e) {
                future = CompletableFuture.failedFuture(e);
            }
            future.whenComplete((outcome, failure) -> {
                long now = System.nanoTime();
                lastCompletion.accumulateAndGet(now, Math::max);
                String kind = failure != null ? Outcomes.ofFailure(failure) : outcome;
                if (OK.equals(kind)) {
                    latency.recordValue(Math.min(latency.getHighestTrackableValue(), TimeUnit.NANOSECONDS.toMicros(now - intended)));
                    ok.incrementAndGet();
                } else {
                    if (isRefusal(kind)) {
                        refusals.recordValue(Math.min(refusals.getHighestTrackableValue(), TimeUnit.NANOSECONDS.toMicros(now - intended)));
                    }
                    errors.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                }
                inFlight.decrementAndGet();
            });
        }
        long drainUntil = System.nanoTime() + DRAIN.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        if (inFlight.get() > 0) {
            errors.computeIfAbsent("unfinished after drain", kind -> new AtomicLong()).addAndGet(inFlight.get());
        }
        long end = Math.max(lastCompletion.get(), start + 1);
        double completedPerSecond = ok.get() / ((end - start) / 1e9);
        Map<String, Long> errorCounts = new TreeMap<>();
        errors.forEach((kind, count) -> errorCounts.put(kind, count.get()));
        return new Result(label, rate, sent, ok.get(), completedPerSecond, latency.copy(), errorCounts, refusals.copy());
    }
}
