package dev.portcullis.identity.login;

import static dev.portcullis.identity.login.LoginSecurityTest.assertRejectedCode;
import static dev.portcullis.identity.login.LoginSecurityTest.assertRejectedPassword;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.admin.AdminFixtures;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Brute-force defence at the login form with the production limit (100 consecutive failures): lockout,
 * password and TOTP failures counted together, a locked account answered exactly like a wrong
 * password, no extension while locked, reset on success, and per-source throttling.
 */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class LockoutTest {

    private static final AtomicInteger SOURCES = new AtomicInteger();

    @Inject
    TestAccounts accounts;

    @Inject
    AdminFixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** A fresh client address per call (198.18.0.0/15, the benchmarking range). */
    static String newSource() {
        int n = SOURCES.incrementAndGet();
        return "198.18." + (n / 250) + "." + (1 + n % 250);
    }

    Map<String, Object> counters(UUID account) {
        return fixtures.row("select failed_attempts, throttled_until from account where id = ?", account);
    }

    @Test
    void aHundredFailuresOfPasswordsAndCodesTogetherLockTheAccount() {
        TestAccounts.TestAccount account = accounts.create(true);
        // A distributed attacker: every guess from another address, so only the account limit applies.
        for (int i = 0; i < 99; i++) {
            assertRejectedPassword(LoginSecurityTest.startFlow().source(newSource()).password(account.username(), "wrong-" + i));
        }
        assertEquals(99, counters(account.id()).get("failed_attempts"));
        // 99 failures: not locked, the right password reaches the TOTP step (and does not reset the count).
        Browser victim = LoginSecurityTest.startFlow().source(newSource());
        assertEquals(200, victim.password(account.username(), account.password()).statusCode());
        // The 100th failure is a missing TOTP code: the same counter, and it locks.
        assertRejectedCode(victim.totp(""));
        Map<String, Object> locked = counters(account.id());
        assertEquals(100, locked.get("failed_attempts"));
        assertNotNull(locked.get("throttled_until"));
        assertTrue(fixtures.outboxTypes(account.id().toString()).contains("account_locked_out"));

        // Locked: even the right code and the right password are refused, exactly like wrong ones.
        assertRejectedCode(victim.totp(accounts.code(account.totpKey())));
        Browser browser = LoginSecurityTest.startFlow().source(newSource());
        HttpResponse<String> lockedAnswer = browser.password(account.username(), account.password());
        HttpResponse<String> wrongAnswer = browser.password("nobody-" + UUID.randomUUID() + "@example.test", "wrong");
        assertRejectedPassword(lockedAnswer);
        assertEquals(wrongAnswer.statusCode(), lockedAnswer.statusCode());
        assertEquals(wrongAnswer.body(), lockedAnswer.body(), "byte-for-byte the page of a wrong password");

        // Attempts while locked are neither counted nor extend the lock.
        clock.advance(Duration.ofMinutes(59));
        Browser later = LoginSecurityTest.startFlow().source(newSource());
        assertRejectedPassword(later.password(account.username(), "still-wrong"));
        assertRejectedPassword(later.password(account.username(), account.password()));
        assertEquals(locked, counters(account.id()));
        clock.advance(Duration.ofMinutes(1).plusSeconds(1));

        // After the hour, the right password and code sign in, and the success resets the counter.
        Browser after = LoginSecurityTest.startFlow().source(newSource());
        assertEquals(200, after.password(account.username(), account.password()).statusCode());
        assertEquals(302, after.totp(accounts.nextCode(account.totpKey())).statusCode());
        Map<String, Object> reset = counters(account.id());
        assertEquals(0, reset.get("failed_attempts"));
        assertNull(reset.get("throttled_until"));
    }

    @Test
    void afterALockoutExpiresTheNextFailureLocksAgain() {
        TestAccounts.TestAccount account = accounts.create(false);
        fixtures.update("update account set failed_attempts = 100, throttled_until = now() - interval '1 second' where id = ?", account.id());
        Browser browser = LoginSecurityTest.startFlow().source(newSource());
        assertRejectedPassword(browser.password(account.username(), "wrong"));
        assertRejectedPassword(browser.password(account.username(), account.password()));
    }

    @Test
    void aSourceWithAHundredFailuresIsThrottledWhateverTheAccount() {
        String attacker = newSource();
        Browser spray = LoginSecurityTest.startFlow().source(attacker);
        for (int i = 0; i < 100; i++) {
            assertRejectedPassword(spray.password("victim-" + i + "-" + UUID.randomUUID() + "@example.test", "Summer2024!"));
        }
        TestAccounts.TestAccount account = accounts.create(false);
        HttpResponse<String> throttled = spray.password(account.username(), account.password());
        HttpResponse<String> wrong = spray.password("nobody-" + UUID.randomUUID() + "@example.test", "wrong");
        assertRejectedPassword(throttled);
        assertEquals(wrong.body(), throttled.body());
        // Not counted against the account, and another source signs in with the same password.
        assertEquals(0, counters(account.id()).get("failed_attempts"));
        assertEquals(302, LoginSecurityTest.startFlow().source(newSource()).password(account.username(), account.password()).statusCode());
        // The throttle ends with its window (15 minutes).
        clock.advance(Duration.ofMinutes(15).plusSeconds(1));
        assertEquals(302, LoginSecurityTest.startFlow().source(attacker).password(account.username(), account.password()).statusCode());
    }
}
