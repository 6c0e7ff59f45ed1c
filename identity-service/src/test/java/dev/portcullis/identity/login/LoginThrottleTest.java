package dev.portcullis.identity.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.account.AccountEntity;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final LoginThrottle throttle = new LoginThrottle(10, Duration.ofSeconds(30), Duration.ofMinutes(15));

    @Test
    void tenConsecutiveFailuresOpenAThirtySecondWindow() {
        AccountEntity account = new AccountEntity();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 9; i++) {
            throttle.recordFailure(account, now);
            assertFalse(throttle.throttled(account, now));
        }
        throttle.recordFailure(account, now);
        assertTrue(throttle.throttled(account, now));
        assertTrue(throttle.throttled(account, now.plusSeconds(29)));
        assertFalse(throttle.throttled(account, now.plusSeconds(30)));
    }

    @Test
    void everyFurtherFailureDoublesTheWindowUpToTheCap() {
        assertEquals(Duration.ZERO, throttle.delay(9));
        assertEquals(Duration.ofSeconds(30), throttle.delay(10));
        assertEquals(Duration.ofSeconds(60), throttle.delay(11));
        assertEquals(Duration.ofSeconds(120), throttle.delay(12));
        assertEquals(Duration.ofMinutes(15), throttle.delay(16));
        assertEquals(Duration.ofMinutes(15), throttle.delay(Integer.MAX_VALUE));
    }

    @Test
    void successResets() {
        AccountEntity account = new AccountEntity();
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        for (int i = 0; i < 12; i++) {
            throttle.recordFailure(account, now);
        }
        throttle.reset(account);
        assertEquals(0, account.failedAttempts);
        assertNull(account.throttledUntil);
        assertFalse(throttle.throttled(account, now));
    }
}
