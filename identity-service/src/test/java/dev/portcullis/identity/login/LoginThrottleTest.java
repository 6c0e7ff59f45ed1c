package dev.portcullis.identity.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.account.AccountEntity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The lockout policy at its production setting: 100 consecutive failures, one hour. */
class LoginThrottleTest {

    private final LoginThrottle throttle = new LoginThrottle(100, Duration.ofHours(1));
    private final Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void theHundredthConsecutiveFailureLocksTheAccount() {
        AccountEntity account = new AccountEntity();
        for (int i = 0; i < 99; i++) {
            assertFalse(throttle.recordFailure(account, now));
            assertFalse(throttle.locked(account, now));
        }
        assertTrue(throttle.recordFailure(account, now), "the 100th failure locks");
        assertTrue(throttle.locked(account, now));
        assertTrue(throttle.locked(account, now.plus(Duration.ofMinutes(59))));
        assertFalse(throttle.locked(account, now.plus(Duration.ofHours(1))));
    }

    @Test
    void failuresWhileLockedNeitherCountNorExtendTheLock() {
        AccountEntity account = new AccountEntity();
        for (int i = 0; i < 100; i++) {
            throttle.recordFailure(account, now);
        }
        var until = account.throttledUntil;
        assertFalse(throttle.recordFailure(account, now.plus(Duration.ofMinutes(30))));
        assertEquals(100, account.failedAttempts);
        assertEquals(until, account.throttledUntil);
    }

    @Test
    void afterTheLockEachFurtherFailureLocksAgain() {
        AccountEntity account = new AccountEntity();
        for (int i = 0; i < 100; i++) {
            throttle.recordFailure(account, now);
        }
        Instant later = now.plus(Duration.ofHours(1));
        assertTrue(throttle.recordFailure(account, later));
        assertTrue(throttle.locked(account, later.plusSeconds(1)));
    }

    @Test
    void successResets() {
        AccountEntity account = new AccountEntity();
        for (int i = 0; i < 100; i++) {
            throttle.recordFailure(account, now);
        }
        throttle.reset(account);
        assertEquals(0, account.failedAttempts);
        assertNull(account.throttledUntil);
        assertNull(account.lockedAt);
        assertFalse(throttle.locked(account, now));
    }

    @Test
    void moreThanAHundredIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle(101, Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> new LoginThrottle(10, Duration.ZERO));
    }
}
