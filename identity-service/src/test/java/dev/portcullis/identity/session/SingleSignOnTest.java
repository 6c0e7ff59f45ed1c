package dev.portcullis.identity.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.MfaFixtures;
import dev.portcullis.identity.SsoBrowser;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.mfa.TotpEnrollment;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The single sign-on session and what prompt, max_age and acr_values make of it. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class SingleSignOnTest {

    static final UUID ORG = UUID.fromString(IdentityTestProfile.ORG);

    @Inject
    TestAccounts accounts;

    @Inject
    MfaFixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    SsoSessions sessions;

    @AfterEach
    void resetClock() throws Exception {
        clock.reset();
    }

    static boolean isLoginPage(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().contains("<form method=\"post\" action=\"/login\">");
    }

    static boolean isTotpPage(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().contains("<form method=\"post\" action=\"/login/totp\">")
                && !response.body().contains("action=\"/login\">");
    }

    /** Signs in with password + TOTP; returns the access token claims. */
    JWTClaimsSet signInWithTotp(SsoBrowser browser, TestAccounts.TestAccount account) throws Exception {
        assertTrue(isLoginPage(browser.authorize(Map.of())));
        assertTrue(isTotpPage(browser.password(account.username(), account.password())));
        return browser.redeem(SsoBrowser.code(browser.totp(accounts.code(account.totpKey()))));
    }

    JWTClaimsSet signInPasswordOnly(SsoBrowser browser, TestAccounts.TestAccount account) throws Exception {
        assertTrue(isLoginPage(browser.authorize(Map.of())));
        return browser.redeem(SsoBrowser.code(browser.password(account.username(), account.password())));
    }

    @Test
    void aCompletedLoginSetsASecureSessionCookieAndLaterAuthorizationsSkipTheLogin() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = new SsoBrowser();
        assertTrue(isLoginPage(browser.authorize(Map.of())));
        browser.password(account.username(), account.password());
        HttpResponse<String> done = browser.totp(accounts.code(account.totpKey()));
        String setCookie = done.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("portcullis_session="))
                .findFirst().orElseThrow();
        assertTrue(setCookie.contains("HttpOnly"), setCookie);
        assertTrue(setCookie.contains("SameSite=Lax"), setCookie);
        assertTrue(setCookie.contains("Path=/"), setCookie);
        String value = browser.sessionCookie().orElseThrow();
        assertEquals(43, value.length(), "256 random bits");
        assertTrue(fixtures.strings("select id_hash from sso_session where account_id = ?", account.id()).stream()
                .noneMatch(value::equals), "only the hash is stored");
        JWTClaimsSet first = browser.redeem(SsoBrowser.code(done));

        clock.advance(Duration.ofSeconds(5));
        JWTClaimsSet second = browser.redeem(SsoBrowser.code(browser.authorize(Map.of())));
        assertEquals(account.id().toString(), second.getSubject());
        assertEquals("aal2", second.getStringClaim("acr"));
        assertEquals(List.of("pwd", "otp", "mfa"), second.getStringListClaim("amr"));
        assertEquals(first.getDateClaim("auth_time"), second.getDateClaim("auth_time"), "the real auth_time, not now");

        // A different browser (no cookie) or a forged cookie gets the login page.
        assertTrue(isLoginPage(new SsoBrowser().authorize(Map.of())));
        assertTrue(isLoginPage(RestAssuredLike.withCookie("x".repeat(43))));
    }

    /** A request with a made-up session cookie. */
    static final class RestAssuredLike {
        static HttpResponse<String> withCookie(String cookie) throws Exception {
            String verifier = dev.portcullis.identity.secret.Tokens.random256();
            var request = java.net.http.HttpRequest.newBuilder(SsoBrowser.authorizeUri(verifier, Map.of()))
                    .header("Cookie", "portcullis_session=" + cookie).GET().build();
            return java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void promptNoneAnswersLoginRequiredWithoutASessionAndACodeWithOne() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = new SsoBrowser();
        assertEquals("login_required", SsoBrowser.error(browser.authorize(Map.of("prompt", "none"))));
        signInWithTotp(browser, account);
        SsoBrowser.code(browser.authorize(Map.of("prompt", "none")));
        assertEquals("invalid_request", SsoBrowser.error(browser.authorize(Map.of("prompt", "none login"))));
        assertEquals("invalid_request", SsoBrowser.error(browser.authorize(Map.of("prompt", "sometimes"))));
    }

    @Test
    void promptLoginForcesTheWholeSignInAndANewAuthTime() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = new SsoBrowser();
        JWTClaimsSet first = signInWithTotp(browser, account);
        clock.advance(Duration.ofSeconds(40));
        assertTrue(isLoginPage(browser.authorize(Map.of("prompt", "login"))));
        assertTrue(isTotpPage(browser.password(account.username(), account.password())));
        JWTClaimsSet again = browser.redeem(SsoBrowser.code(browser.totp(accounts.code(account.totpKey()))));
        assertTrue(again.getDateClaim("auth_time").after(first.getDateClaim("auth_time")));
    }

    @Test
    void maxAgeIsMeasuredFromTheLastAuthentication() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = new SsoBrowser();
        signInWithTotp(browser, account);
        clock.advance(Duration.ofSeconds(61));
        SsoBrowser.code(browser.authorize(Map.of("max_age", "3600")));
        assertTrue(isLoginPage(browser.authorize(Map.of("max_age", "60"))));
        assertEquals("login_required", SsoBrowser.error(browser.authorize(Map.of("max_age", "60", "prompt", "none"))));
        assertTrue(isLoginPage(browser.authorize(Map.of("max_age", "0"))));
        assertEquals("invalid_request", SsoBrowser.error(browser.authorize(Map.of("max_age", "-1"))));
        assertEquals("invalid_request", SsoBrowser.error(browser.authorize(Map.of("max_age", "soon"))));
    }

    @Test
    void acrValuesAboveTheSessionAskOnlyForTheMissingSecondFactor() throws Exception {
        TestAccounts.TestAccount passwordOnly = fixtures.account(ORG);
        SsoBrowser browser = new SsoBrowser();
        JWTClaimsSet aal1 = signInPasswordOnly(browser, passwordOnly);
        assertEquals("aal1", aal1.getStringClaim("acr"));
        assertEquals(List.of("pwd"), aal1.getStringListClaim("amr"));
        // An aal1 session satisfies aal1 requests and unknown acr values (which are ignored) ...
        SsoBrowser.code(browser.authorize(Map.of("acr_values", "aal1")));
        SsoBrowser.code(browser.authorize(Map.of("acr_values", "urn:example:unknown")));
        // ... but not aal2, and prompt=none cannot satisfy it.
        assertEquals("interaction_required", SsoBrowser.error(browser.authorize(Map.of("acr_values", "aal2", "prompt", "none"))));

        // The operator gives the account TOTP; the session still says aal1: step-up to the TOTP page only.
        TestAccounts.TestAccount withTotp = fixtures.withTotp(passwordOnly, ORG, TotpEnrollment.newSeed());
        clock.advance(Duration.ofSeconds(5));
        HttpResponse<String> stepUp = browser.authorize(Map.of("acr_values", "aal2"));
        assertTrue(isTotpPage(stepUp), stepUp.body());
        JWTClaimsSet aal2 = browser.redeem(SsoBrowser.code(browser.totp(accounts.code(withTotp.totpKey()))));
        assertEquals("aal2", aal2.getStringClaim("acr"));
        assertEquals(List.of("pwd", "otp", "mfa"), aal2.getStringListClaim("amr"));
        assertTrue(aal2.getDateClaim("auth_time").after(aal1.getDateClaim("auth_time")), "the step-up's time");
        // The new session is aal2: no further step-up.
        SsoBrowser.code(browser.authorize(Map.of("acr_values", "aal2", "prompt", "none")));
    }

    @Test
    void aStepUpLongAfterThePasswordRepeatsTheWholeSignIn() throws Exception {
        TestAccounts.TestAccount account = fixtures.account(ORG);
        SsoBrowser browser = new SsoBrowser();
        signInPasswordOnly(browser, account);
        fixtures.withTotp(account, ORG, TotpEnrollment.newSeed());
        clock.advance(Duration.ofMinutes(16));
        assertTrue(isLoginPage(browser.authorize(Map.of("acr_values", "aal2"))));
    }

    @Test
    void aStepUpForAnAccountWithoutASecondFactorEnrollsOne() throws Exception {
        TestAccounts.TestAccount account = fixtures.account(ORG);
        SsoBrowser browser = new SsoBrowser();
        signInPasswordOnly(browser, account);
        HttpResponse<String> enroll = browser.authorize(Map.of("acr_values", "aal2"));
        assertEquals(200, enroll.statusCode());
        assertTrue(enroll.body().contains("action=\"/login/enroll-totp\""), enroll.body());
        byte[] key = MfaEnrollmentTest.secretOf(enroll.body());
        JWTClaimsSet claims = browser.redeem(SsoBrowser.code(browser.enrollTotp(accounts.code(key))));
        assertEquals("aal2", claims.getStringClaim("acr"));
    }

    @Test
    void endingTheSessionsOfAnAccountLogsTheBrowserOut() throws Throwable {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = new SsoBrowser();
        signInWithTotp(browser, account);
        SsoBrowser.code(browser.authorize(Map.of("prompt", "none")));
        assertEquals(1L, VertxContextSupport.subscribeAndAwait(() -> sessions.endAll(account.id())));
        assertEquals("login_required", SsoBrowser.error(browser.authorize(Map.of("prompt", "none"))));
    }

    @Test
    void signingOutWithAPostEndsTheSessionButACrossSiteGetWithoutAHintDoesNot() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = new SsoBrowser();
        signInWithTotp(browser, account);

        // A GET can come from any site (the Lax cookie rides along on top-level navigation): without an
        // ID token hint naming this account it must not end the session.
        assertEquals(200, browser.get("/oauth2/logout").statusCode());
        SsoBrowser.code(browser.authorize(Map.of("prompt", "none")));

        // A POST carries the Lax cookie only from this site's own pages: it ends the session.
        HttpResponse<String> signedOut = browser.post("/oauth2/logout", Map.of());
        assertEquals(200, signedOut.statusCode(), signedOut.body());
        assertTrue(signedOut.headers().allValues("Set-Cookie").stream()
                .anyMatch(c -> c.startsWith("portcullis_session=;") && c.contains("Max-Age=0")), signedOut.headers().toString());
        assertTrue(fixtures.strings("select id_hash from sso_session where account_id = ?", account.id()).isEmpty());
        assertEquals("login_required", SsoBrowser.error(browser.authorize(Map.of("prompt", "none"))));
    }

    @Test
    void aDisabledAccountsSessionNoLongerSignsIn() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = new SsoBrowser();
        signInWithTotp(browser, account);
        accounts.disable(account.id());
        assertEquals("login_required", SsoBrowser.error(browser.authorize(Map.of("prompt", "none"))));
    }

    @Test
    void discoveryPublishesTheAcrLevels() throws Exception {
        RestAssured.given().baseUri(IdentityTestProfile.ISSUER).get("/.well-known/openid-configuration").then()
                .statusCode(200)
                .body("acr_values_supported", org.hamcrest.Matchers.contains("aal1", "aal2", "phr"));
    }
}
