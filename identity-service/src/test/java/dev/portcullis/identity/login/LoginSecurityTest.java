package dev.portcullis.identity.login;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What an attacker at the login form can and cannot learn or do. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class LoginSecurityTest {

    @Inject
    TestAccounts accounts;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static Browser startFlow() {
        String query = "response_type=code&client_id=" + DemoSeed.CLI_CLIENT
                + "&redirect_uri=" + URLEncoder.encode(DemoSeed.CLI_REDIRECT, StandardCharsets.UTF_8)
                + "&scope=openid&state=s&code_challenge=" + Tokens.s256("x".repeat(43)) + "&code_challenge_method=S256";
        Browser browser = new Browser();
        browser.authorize(URI.create(IdentityTestProfile.ISSUER + "/oauth2/authorize?" + query));
        return browser;
    }

    static void assertRejectedPassword(HttpResponse<String> response) {
        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("Invalid username or password."), response.body());
        assertTrue(response.body().contains("<form method=\"post\" action=\"/login\">"));
    }

    static void assertRejectedCode(HttpResponse<String> response) {
        assertEquals(401, response.statusCode());
        assertTrue(response.body().contains("Invalid code."), response.body());
        assertTrue(response.body().contains("<form method=\"post\" action=\"/login/totp\">"));
    }

    @Test
    void unknownUserWrongPasswordAndDisabledAccountLookTheSame() {
        TestAccounts.TestAccount account = accounts.create(true);
        TestAccounts.TestAccount disabled = accounts.create(true);
        accounts.disable(disabled.id());
        Browser browser = startFlow();

        HttpResponse<String> wrongPassword = browser.password(account.username(), "not-the-password");
        HttpResponse<String> unknownUser = browser.password("nobody-" + UUID.randomUUID() + "@example.test", "not-the-password");
        HttpResponse<String> disabledAccount = browser.password(disabled.username(), disabled.password());
        HttpResponse<String> emptyPassword = browser.password(account.username(), "");

        assertRejectedPassword(wrongPassword);
        assertEquals(wrongPassword.statusCode(), unknownUser.statusCode());
        assertEquals(wrongPassword.body(), unknownUser.body(), "byte-for-byte the same page");
        assertEquals(wrongPassword.body(), disabledAccount.body());
        assertEquals(wrongPassword.statusCode(), disabledAccount.statusCode());
        assertEquals(wrongPassword.body(), emptyPassword.body());
        assertFalse(wrongPassword.body().contains(account.username()), "the username is not echoed");
    }

    @Test
    void usernamesAreMatchedCaseInsensitively() {
        TestAccounts.TestAccount account = accounts.create(true);
        HttpResponse<String> totpPage = startFlow().password("  " + account.username().toUpperCase() + " ", account.password());
        assertEquals(200, totpPage.statusCode());
    }

    // Lockout and per-source throttling: see LockoutTest.

    @Test
    void aTotpCodeIsAcceptedOnlyOnce() {
        TestAccounts.TestAccount account = accounts.create(true);
        String code = accounts.code(account.totpKey());
        Browser first = startFlow();
        first.password(account.username(), account.password());
        assertEquals(302, first.totp(code).statusCode());

        Browser second = startFlow();
        assertEquals(200, second.password(account.username(), account.password()).statusCode());
        assertRejectedCode(second.totp(code));
        // The previous step's code is older than the accepted one: refused too.
        String previous = dev.portcullis.identity.mfa.Totp.code(account.totpKey(),
                dev.portcullis.identity.mfa.Totp.step(clock.instant()) - 1, 6, "HmacSHA1");
        assertRejectedCode(second.totp(previous));
        // The next step's code has not been used yet.
        assertEquals(302, second.totp(accounts.nextCode(account.totpKey())).statusCode());
    }

    @Test
    void codesTwoStepsAwayAreRefused() {
        TestAccounts.TestAccount account = accounts.create(true);
        Browser browser = startFlow();
        browser.password(account.username(), account.password());
        long step = dev.portcullis.identity.mfa.Totp.step(clock.instant());
        for (long offset : new long[] {-2, 2}) {
            String code = dev.portcullis.identity.mfa.Totp.code(account.totpKey(), step + offset, 6, "HmacSHA1");
            boolean collides = false;
            for (long near = step - 1; near <= step + 1; near++) {
                collides |= code.equals(dev.portcullis.identity.mfa.Totp.code(account.totpKey(), near, 6, "HmacSHA1"));
            }
            if (!collides) {
                assertRejectedCode(browser.totp(code));
            }
        }
    }

    @Test
    void theTotpStepNeedsAPasswordFirst() {
        TestAccounts.TestAccount account = accounts.create(true);
        Browser browser = startFlow();
        HttpResponse<String> skipped = browser.totp(accounts.code(account.totpKey()));
        assertEquals(400, skipped.statusCode());
        assertTrue(skipped.headers().firstValue("Location").isEmpty());
    }

    @Test
    void aFlowExpiresAfterTenMinutes() {
        TestAccounts.TestAccount account = accounts.create(true);
        Browser browser = startFlow();
        clock.advance(Duration.ofMinutes(10).plusSeconds(1));
        HttpResponse<String> late = browser.password(account.username(), account.password());
        assertEquals(400, late.statusCode());
        assertTrue(late.body().contains("expired"));
    }

    @Test
    void aFinishedFlowCannotBeReplayed() {
        TestAccounts.TestAccount account = accounts.create(true);
        Browser browser = startFlow();
        String flow = browser.flow();
        browser.password(account.username(), account.password());
        HttpResponse<String> done = browser.totp(accounts.code(account.totpKey()));
        assertEquals(302, done.statusCode());
        assertTrue(Browser.setCookie(done).orElseThrow().contains("Max-Age=0"), "the flow cookie is cleared");
        browser.flow(flow);
        browser.cookie(flow);
        assertEquals(400, browser.totp(accounts.nextCode(account.totpKey())).statusCode());
    }
}
