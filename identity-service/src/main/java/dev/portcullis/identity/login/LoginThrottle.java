package dev.portcullis.identity.login;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Per-account throttling of guesses. Wrong passwords and wrong TOTP codes count toward one counter of
 * consecutive failures; from {@code threshold} failures on, every attempt inside the throttle window
 * is answered exactly like a wrong password (without being judged or counted), and each failure after
 * a window ends opens a window twice as long, up to {@code maxDelay}. A completed login resets it.
 * The window is bounded, so an attacker can slow a victim down but never lock them out for good.
 */
public record LoginThrottle(int threshold, Duration initialDelay, Duration maxDelay) {

    public LoginThrottle {
        if (threshold < 1 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0) {
            throw new IllegalArgumentException("invalid throttle settings");
        }
    }

    public static LoginThrottle of(IdentityConfig.Throttle config) {
        return new LoginThrottle(config.threshold(), config.initialDelay(), config.maxDelay());
    }

    public boolean throttled(AccountEntity account, Instant now) {
        return account.throttledUntil != null && now.isBefore(account.throttledUntil.toInstant());
    }

    public void recordFailure(AccountEntity account, Instant now) {
        account.failedAttempts = account.failedAttempts == Integer.MAX_VALUE ? Integer.MAX_VALUE : account.failedAttempts + 1;
        if (account.failedAttempts >= threshold) {
            account.throttledUntil = now.plus(delay(account.failedAttempts)).atOffset(ZoneOffset.UTC);
        }
    }

    public void reset(AccountEntity account) {
        account.failedAttempts = 0;
        account.throttledUntil = null;
    }

    /** The window after the given number of consecutive failures (from the threshold on). */
    public Duration delay(int failures) {
        int doublings = Math.min(failures - threshold, 30);
        if (doublings < 0) {
            return Duration.ZERO;
        }
        Duration delay = initialDelay.multipliedBy(1L << doublings);
        return delay.compareTo(maxDelay) > 0 ? maxDelay : delay;
    }
}
