package dev.portcullis.identity.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.MfaFixtures;
import dev.portcullis.identity.SsoBrowser;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.mfa.Totp;
import dev.portcullis.identity.mfa.TotpSecrets;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Recovery codes, forced and self-service TOTP enrollment, and the fresh factor every change needs. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class MfaEnrollmentTest {

    static final UUID ORG = UUID.fromString(IdentityTestProfile.ORG);
    private static final Pattern SECRET = Pattern.compile("<code id=\"totp-secret\">([A-Z2-7 ]+)</code>");
    private static final Pattern RECOVERY = Pattern.compile("<li><code>([a-z2-7-]+)</code></li>");

    @Inject
    TestAccounts accounts;

    @Inject
    MfaFixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() throws Exception {
        clock.reset();
    }

    static byte[] secretOf(String page) {
        Matcher matcher = SECRET.matcher(page);
        assertTrue(matcher.find(), page);
        return TotpSecrets.decode(matcher.group(1));
    }

    static List<String> recoveryCodesOf(String page) {
        Matcher matcher = RECOVERY.matcher(page);
        List<String> codes = new ArrayList<>();
        while (matcher.find()) {
            codes.add(matcher.group(1));
        }
        return codes;
    }

    SsoBrowser signedIn(TestAccounts.TestAccount account) {
        SsoBrowser browser = new SsoBrowser();
        browser.authorize(Map.of());
        browser.password(account.username(), account.password());
        SsoBrowser.code(browser.totp(accounts.code(account.totpKey())));
        return browser;
    }

    List<String> generateRecoveryCodes(SsoBrowser browser) {
        assertEquals(200, browser.get("/account/security").statusCode());
        HttpResponse<String> page = browser.post("/account/security/recovery-codes", Map.of("csrf", browser.csrf()));
        assertEquals(200, page.statusCode(), page.body());
        return recoveryCodesOf(page.body());
    }

    @Test
    void recoveryCodesAreTenRandomHashedAndSingleUseAndDoNotClaimOtp() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        List<String> codes = generateRecoveryCodes(signedIn(account));
        assertEquals(10, codes.size());
        assertEquals(10, codes.stream().distinct().count());
        assertTrue(codes.stream().allMatch(c -> c.replace("-", "").length() == 24), "120 bits each");
        List<String> stored = fixtures.strings("select code_hash from recovery_code where account_id = ?", account.id());
        assertEquals(10, stored.size());
        assertTrue(stored.stream().noneMatch(h -> codes.stream().anyMatch(c -> c.replace("-", "").equals(h))), "stored hashed");
        assertTrue(fixtures.outboxEventTypes(account.id().toString()).contains("mfa_changed"));

        SsoBrowser other = new SsoBrowser();
        other.authorize(Map.of());
        other.password(account.username(), account.password());
        JWTClaimsSet claims = other.redeem(SsoBrowser.code(other.recovery(codes.get(3).toUpperCase())));
        assertEquals("aal2", claims.getStringClaim("acr"));
        assertEquals(List.of("pwd", "mfa"), claims.getStringListClaim("amr"), "a recovery code is not an OTP device");

        SsoBrowser again = new SsoBrowser();
        again.authorize(Map.of());
        again.password(account.username(), account.password());
        HttpResponse<String> reused = again.recovery(codes.get(3));
        assertEquals(401, reused.statusCode());
        assertTrue(reused.body().contains("Invalid code."));
        assertEquals(302, again.recovery(codes.get(4)).statusCode(), "another code still works");
    }

    @Test
    void regeneratingRecoveryCodesRevokesTheOldOnes() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = signedIn(account);
        List<String> old = generateRecoveryCodes(browser);
        generateRecoveryCodes(browser);
        SsoBrowser other = new SsoBrowser();
        other.authorize(Map.of());
        other.password(account.username(), account.password());
        assertEquals(401, other.recovery(old.get(0)).statusCode());
    }

    @Test
    void wrongRecoveryCodesCountTowardTheThrottle() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = new SsoBrowser();
        browser.authorize(Map.of());
        browser.password(account.username(), account.password());
        // The same limit as wrong passwords and TOTP codes (100 consecutive failures, NIST SP 800-63B).
        for (int i = 0; i < 100; i++) {
            assertEquals(401, browser.recovery("aaaa-bbbb-cccc-dddd-eeee-ffff").statusCode());
        }
        // Locked now: even the right TOTP code is refused.
        assertEquals(401, browser.totp(accounts.code(account.totpKey())).statusCode());
    }

    @Test
    void changesWithoutAFreshFactorAreRefusedUntilTheFactorIsProvenAgain() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = signedIn(account);
        HttpResponse<String> overview = browser.get("/account/security");
        assertEquals(200, overview.statusCode());
        assertEquals("default-src 'self'; frame-ancestors 'none'", overview.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("no-store", overview.headers().firstValue("Cache-Control").orElseThrow());
        String csrf = browser.csrf();
        clock.advance(Duration.ofMinutes(6));

        HttpResponse<String> totp = browser.post("/account/security/totp", Map.of("csrf", csrf));
        assertEquals(303, totp.statusCode());
        assertTrue(totp.headers().firstValue("Location").orElseThrow().endsWith("/account/security/reauth"));
        HttpResponse<String> codes = browser.post("/account/security/recovery-codes", Map.of("csrf", csrf));
        assertEquals(303, codes.statusCode());
        assertEquals(List.of(), fixtures.strings("select code_hash from recovery_code where account_id = ?", account.id()));

        // Without the CSRF token nothing happens either (even when fresh).
        assertEquals(403, browser.post("/account/security/totp", Map.of()).statusCode());
        assertEquals(403, browser.post("/account/security/totp", Map.of("csrf", "x".repeat(43))).statusCode());

        // Re-authentication: the password alone is not enough for an account with TOTP.
        assertEquals(200, browser.get("/account/security/reauth").statusCode());
        assertEquals(401, browser.post("/account/security/reauth", Map.of("csrf", csrf, "password", account.password(),
                "code", "")).statusCode());
        assertEquals(401, browser.post("/account/security/reauth", Map.of("csrf", csrf, "password", "wrong-password",
                "code", accounts.code(account.totpKey()))).statusCode());
        HttpResponse<String> reauth = browser.post("/account/security/reauth", Map.of("csrf", csrf, "password", account.password(),
                "code", accounts.code(account.totpKey())));
        assertEquals(303, reauth.statusCode(), reauth.body());

        // Fresh now: a new authenticator replaces the old one once its first code confirms it.
        HttpResponse<String> started = browser.post("/account/security/totp", Map.of("csrf", csrf));
        assertEquals(200, started.statusCode(), started.body());
        assertTrue(started.body().contains("otpauth://totp/Portcullis:"), started.body());
        byte[] key = secretOf(started.body());
        assertEquals(401, browser.post("/account/security/totp/confirm", Map.of("csrf", csrf, "code",
                accounts.wrongCode(key))).statusCode());
        assertEquals(303, browser.post("/account/security/totp/confirm", Map.of("csrf", csrf, "code",
                accounts.nextCode(key))).statusCode());

        SsoBrowser next = new SsoBrowser();
        next.authorize(Map.of());
        next.password(account.username(), account.password());
        assertEquals(401, next.totp(accounts.code(account.totpKey())).statusCode(), "the old authenticator is replaced");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(302, next.totp(accounts.code(key)).statusCode());
        assertTrue(fixtures.outboxEventTypes(account.id().toString()).contains("mfa_changed"));
    }

    @Test
    void theAccountPagesNeedASession() throws Exception {
        SsoBrowser browser = new SsoBrowser();
        assertEquals(401, browser.get("/account/security").statusCode());
        assertEquals(403, browser.post("/account/security/recovery-codes", Map.of("csrf", "x")).statusCode());
    }

    @Test
    void anOrganizationThatRequiresMfaMakesNewAccountsEnrollTotpAtLogin() throws Exception {
        UUID organization = fixtures.organization(true);
        TestAccounts.TestAccount account = fixtures.account(organization);
        SsoBrowser browser = new SsoBrowser();
        browser.authorize(Map.of());
        HttpResponse<String> enroll = browser.password(account.username(), account.password());
        assertEquals(200, enroll.statusCode());
        assertTrue(enroll.body().contains("action=\"/login/enroll-totp\""), enroll.body());
        assertTrue(enroll.body().contains("autocomplete=\"one-time-code\""));
        byte[] key = secretOf(enroll.body());
        HttpResponse<String> wrong = browser.enrollTotp(accounts.wrongCode(key));
        assertEquals(401, wrong.statusCode());
        assertTrue(wrong.body().contains("role=\"alert\""));
        assertEquals(List.of(TotpSecrets.encode(key)), List.of(TotpSecrets.encode(secretOf(wrong.body()))), "same secret shown again");
        long twoAhead = Totp.step(clock.instant()) + 2;
        String farCode = Totp.code(key, twoAhead, 6, Totp.HMAC_SHA1);
        if (!farCode.equals(accounts.code(key)) && !farCode.equals(accounts.nextCode(key))) {
            assertEquals(401, browser.enrollTotp(farCode).statusCode(), "±2 steps is refused at enrollment too");
        }
        JWTClaimsSet claims = browser.redeem(SsoBrowser.code(browser.enrollTotp(accounts.code(key))));
        assertEquals("aal2", claims.getStringClaim("acr"));
        assertEquals(List.of("pwd", "otp", "mfa"), claims.getStringListClaim("amr"));
        assertTrue(fixtures.outboxEventTypes(account.id().toString()).contains("mfa_changed"));

        // From now on the account signs in with the enrolled authenticator; the enrollment code is spent.
        SsoBrowser next = new SsoBrowser();
        next.authorize(Map.of());
        HttpResponse<String> totpPage = next.password(account.username(), account.password());
        assertTrue(totpPage.body().contains("action=\"/login/totp\""));
        assertEquals(401, next.totp(accounts.code(key)).statusCode());
        assertEquals(302, next.totp(accounts.nextCode(key)).statusCode());
    }

    @Test
    void anOrganizationWithoutTheRequirementLetsPasswordOnlyAccountsIn() throws Exception {
        UUID organization = fixtures.organization(false);
        TestAccounts.TestAccount account = fixtures.account(organization);
        SsoBrowser browser = new SsoBrowser();
        browser.authorize(Map.of());
        JWTClaimsSet claims = browser.redeem(SsoBrowser.code(browser.password(account.username(), account.password())));
        assertEquals("aal1", claims.getStringClaim("acr"));
        assertFalse(claims.getStringListClaim("amr").contains("mfa"));
    }
}
