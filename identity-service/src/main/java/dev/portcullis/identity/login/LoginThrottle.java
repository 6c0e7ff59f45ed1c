package dev.portcullis.identity.login;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Per-account lockout (NIST SP 800-63B §5.2.2). Wrong passwords and wrong or missing TOTP codes count
 * toward one counter of consecutive failures; the failure that reaches {@code threshold} locks the
 * account for {@code lockoutDuration}. While locked, attempts are answered exactly like a wrong
 * password without being judged or counted, so they neither extend the lock nor move the counter.
 * Once the lock has expired the counter still stands at the threshold: each further failure locks
 * again (so at most one guess per lockout period), until a login succeeds or an operator clears it.
 */
public record LoginThrottle(int threshold, Duration lockoutDuration) {

    /** NIST SP 800-63B: no more than 100 consecutive failed attempts on one account. */
    public static final int MAX_THRESHOLD = 100;

    public LoginThrottle {
        if (threshold < 1 || threshold > MAX_THRESHOLD || lockoutDuration.isNegative() || lockoutDuration.isZero()) {
            throw new IllegalArgumentException("invalid lockout settings: threshold 1.." + MAX_THRESHOLD
                    + " and a positive lockout duration are required");
        }
    }

    public static LoginThrottle of(IdentityConfig.Throttle config) {
        return new LoginThrottle(config.threshold(), config.lockoutDuration());
    }

    public boolean locked(AccountEntity account, Instant now) {
        return account.throttledUntil != null && now.isBefore(account.throttledUntil.toInstant());
    }

    /**
     * Counts a failure of an account that is not locked; true when this failure locks it (the caller
     * then emits the lockout event).
     */
    public boolean recordFailure(AccountEntity account, Instant now) {
        if (locked(account, now)) {
            return false;
        }
        account.failedAttempts = account.failedAttempts == Integer.MAX_VALUE ? Integer.MAX_VALUE : account.failedAttempts + 1;
        if (account.failedAttempts >= threshold) {
            account.lockedAt = now.atOffset(ZoneOffset.UTC);
            account.throttledUntil = now.plus(lockoutDuration).atOffset(ZoneOffset.UTC);
            return true;
        }
        return false;
    }

    /** A completed login, or an operator clearing the lockout. */
    public void reset(AccountEntity account) {
        account.failedAttempts = 0;
        account.throttledUntil = null;
        account.lockedAt = null;
    }
}
