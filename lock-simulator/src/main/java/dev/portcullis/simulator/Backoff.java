package dev.portcullis.simulator;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with "equal jitter": the n-th retry waits between half and all of
 * min(max, initial × 2^n), so a fleet that lost its peer at the same moment does not come back in step.
 * Not thread-safe; each retry loop owns one.
 */
public final class Backoff {

    private final long initialMillis;
    private final long maxMillis;
    private int failures;

    public Backoff(Duration initial, Duration max) {
        this.initialMillis = Math.max(1, initial.toMillis());
        this.maxMillis = Math.max(initialMillis, max.toMillis());
    }

    /** The delay before the next attempt; each call backs off further. */
    public Duration next() {
        long ceiling = initialMillis << Math.min(failures, 20);
        if (ceiling <= 0 || ceiling > maxMillis) {
            ceiling = maxMillis;
        }
        failures++;
        long half = ceiling / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(ceiling - half + 1));
    }

    /** Failures since the last {@link #reset()}. */
    public int failures() {
        return failures;
    }

    public void reset() {
        failures = 0;
    }
}
