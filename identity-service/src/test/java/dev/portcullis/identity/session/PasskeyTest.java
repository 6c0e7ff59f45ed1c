package dev.portcullis.identity.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.MfaFixtures;
import dev.portcullis.identity.SoftwareAuthenticator;
import dev.portcullis.identity.SsoBrowser;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.minidev.json.JSONArray;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Passkeys (WebAuthn) over HTTP with a software authenticator: registration, sign-in, and every rejection. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class PasskeyTest {

    static final String ORIGIN = IdentityTestProfile.ISSUER;
    static final String RP_ID = "localhost";

    @Inject
    TestAccounts accounts;

    @Inject
    MfaFixtures fixtures;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    static JSONObject publicKey(HttpResponse<String> response) throws Exception {
        assertEquals(200, response.statusCode(), response.body());
        JSONObject json = (JSONObject) new JSONParser(JSONParser.MODE_PERMISSIVE).parse(response.body());
        return (JSONObject) json.get("publicKey");
    }

    SsoBrowser signedIn(TestAccounts.TestAccount account) {
        SsoBrowser browser = new SsoBrowser();
        browser.authorize(Map.of());
        browser.password(account.username(), account.password());
        SsoBrowser.code(browser.totp(accounts.code(account.totpKey())));
        assertEquals(200, browser.get("/account/security").statusCode());
        return browser;
    }

    String registrationChallenge(SsoBrowser browser) throws Exception {
        JSONObject options = publicKey(browser.post("/account/security/passkey/options", Map.of("csrf", browser.csrf())));
        assertEquals(RP_ID, ((JSONObject) options.get("rp")).get("id"));
        assertEquals("required", ((JSONObject) options.get("authenticatorSelection")).get("userVerification"));
        return (String) options.get("challenge");
    }

    HttpResponse<String> register(SsoBrowser browser, Map<String, String> response) {
        Map<String, String> form = new HashMap<>(response);
        form.put("csrf", browser.csrf());
        return browser.post("/account/security/passkey", form);
    }

    /** A browser at the second step of a sign-in (password done). */
    SsoBrowser atSecondStep(TestAccounts.TestAccount account) {
        SsoBrowser browser = new SsoBrowser();
        browser.authorize(Map.of());
        HttpResponse<String> page = browser.password(account.username(), account.password());
        assertTrue(page.body().contains("id=\"passkey-form\""), page.body());
        assertTrue(page.body().contains("<script src=\"/assets/webauthn.js\"></script>"));
        return browser;
    }

    String signInChallenge(SsoBrowser browser, SoftwareAuthenticator authenticator) throws Exception {
        JSONObject options = publicKey(browser.post("/login/passkey/options", Map.of("flow", flowOf(browser))));
        assertEquals("required", options.get("userVerification"));
        assertEquals(RP_ID, options.get("rpId"));
        JSONArray allowed = (JSONArray) options.get("allowCredentials");
        assertEquals(authenticator.credentialId(), ((JSONObject) allowed.get(0)).get("id"));
        return (String) options.get("challenge");
    }

    static String flowOf(SsoBrowser browser) {
        return browser.flow();
    }

    HttpResponse<String> signIn(SsoBrowser browser, Map<String, String> response) {
        Map<String, String> form = new HashMap<>(response);
        form.put("flow", flowOf(browser));
        return browser.post("/login/passkey", form);
    }

    TestAccounts.TestAccount withPasskey(SoftwareAuthenticator authenticator) throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = signedIn(account);
        HttpResponse<String> registered = register(browser, authenticator.register(registrationChallenge(browser), ORIGIN, RP_ID, true));
        assertEquals(303, registered.statusCode(), registered.body());
        return account;
    }

    @Test
    void aRegisteredPasskeyIsAPhishingResistantSecondFactor() throws Exception {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        TestAccounts.TestAccount account = withPasskey(authenticator);
        assertEquals(List.of(authenticator.credentialId()),
                fixtures.strings("select credential_id from webauthn_credential where account_id = ?", account.id()));
        assertTrue(fixtures.outboxEventTypes(account.id().toString()).contains("mfa_changed"));

        SsoBrowser browser = atSecondStep(account);
        String challenge = signInChallenge(browser, authenticator);
        JWTClaimsSet claims = browser.redeem(SsoBrowser.code(signIn(browser, authenticator.authenticate(challenge, ORIGIN, RP_ID, true))));
        assertEquals("phr", claims.getStringClaim("acr"));
        assertEquals(List.of("pwd", "swk", "user", "mfa"), claims.getStringListClaim("amr"));
        assertEquals(List.of(String.valueOf(authenticator.counter())),
                fixtures.strings("select sign_count from webauthn_credential where account_id = ?", account.id()));
    }

    @Test
    void aChallengeIsSpentByItsFirstUseAndBoundToItsFlow() throws Exception {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        TestAccounts.TestAccount account = withPasskey(authenticator);
        SsoBrowser first = atSecondStep(account);
        String firstChallenge = signInChallenge(first, authenticator);

        // Another flow's challenge is not accepted here.
        SsoBrowser second = atSecondStep(account);
        signInChallenge(second, authenticator);
        assertEquals(401, signIn(second, authenticator.authenticate(firstChallenge, ORIGIN, RP_ID, true)).statusCode());

        // A failed attempt spends the challenge: the right answer to it afterwards is refused too.
        String challenge = signInChallenge(first, authenticator);
        Map<String, String> good = authenticator.authenticate(challenge, ORIGIN, RP_ID, true);
        Map<String, String> forged = new HashMap<>(good);
        forged.put("signature", new SoftwareAuthenticator().authenticate(challenge, ORIGIN, RP_ID, true).get("signature"));
        assertEquals(401, signIn(first, forged).statusCode());
        assertEquals(401, signIn(first, good).statusCode(), "replayed challenge");
        // Without asking for options there is no challenge at all.
        assertEquals(401, signIn(first, authenticator.authenticate(challenge, ORIGIN, RP_ID, true)).statusCode());

        String fresh = signInChallenge(first, authenticator);
        assertEquals(302, signIn(first, authenticator.authenticate(fresh, ORIGIN, RP_ID, true)).statusCode());
    }

    @Test
    void wrongOriginRpIdMissingUserVerificationAndAnOldCounterAreRefused() throws Exception {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        TestAccounts.TestAccount account = withPasskey(authenticator);
        SsoBrowser browser = atSecondStep(account);
        assertEquals(401, signIn(browser, authenticator.authenticate(signInChallenge(browser, authenticator),
                "https://portcullis.evil.example", RP_ID, true)).statusCode(), "phishing origin");
        assertEquals(401, signIn(browser, authenticator.authenticate(signInChallenge(browser, authenticator),
                ORIGIN, "evil.example", true)).statusCode(), "other rp id");
        assertEquals(401, signIn(browser, authenticator.authenticate(signInChallenge(browser, authenticator),
                ORIGIN, RP_ID, false)).statusCode(), "no user verification");
        assertEquals(401, signIn(browser, Map.of()).statusCode(), "an empty response is refused");

        // A cloned authenticator shows up as a counter that does not grow.
        SsoBrowser next = atSecondStep(account);
        String challenge = signInChallenge(next, authenticator);
        assertEquals(302, signIn(next, authenticator.authenticate(challenge, ORIGIN, RP_ID, true, 5)).statusCode());
        SsoBrowser clone = atSecondStep(account);
        assertEquals(401, signIn(clone, authenticator.authenticate(signInChallenge(clone, authenticator), ORIGIN, RP_ID, true, 5))
                .statusCode(), "counter not above the stored one");
    }

    @Test
    void registrationChecksOriginChallengeAndUserVerification() throws Exception {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = signedIn(account);
        assertEquals(409, register(browser, authenticator.register(registrationChallenge(browser), "https://evil.example", RP_ID, true))
                .statusCode());
        assertEquals(409, register(browser, authenticator.register(registrationChallenge(browser), ORIGIN, RP_ID, false))
                .statusCode(), "user verification is required");
        String challenge = registrationChallenge(browser);
        Map<String, String> good = authenticator.register(challenge, ORIGIN, RP_ID, true);
        assertEquals(409, register(browser, authenticator.register("A".repeat(43), ORIGIN, RP_ID, true)).statusCode(),
                "a challenge the server did not issue");
        assertEquals(409, register(browser, good).statusCode(), "the issued challenge was spent by the failed attempt");
        assertEquals(List.of(), fixtures.strings("select credential_id from webauthn_credential where account_id = ?", account.id()));
    }

    @Test
    void registeringOrRemovingAPasskeyNeedsAFreshFactor() throws Exception {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        TestAccounts.TestAccount account = accounts.create(true);
        SsoBrowser browser = signedIn(account);
        String challenge = registrationChallenge(browser);
        clock.advance(Duration.ofMinutes(6));
        HttpResponse<String> late = register(browser, authenticator.register(challenge, ORIGIN, RP_ID, true));
        assertEquals(303, late.statusCode());
        assertTrue(late.headers().firstValue("Location").orElseThrow().endsWith("/account/security/reauth"));
        assertEquals(303, browser.post("/account/security/passkey/options", Map.of("csrf", browser.csrf())).statusCode());
        assertEquals(List.of(), fixtures.strings("select credential_id from webauthn_credential where account_id = ?", account.id()));

        assertEquals(303, browser.post("/account/security/reauth", Map.of("csrf", browser.csrf(), "password", account.password(),
                "code", accounts.code(account.totpKey()))).statusCode());
        assertEquals(303, register(browser, authenticator.register(registrationChallenge(browser), ORIGIN, RP_ID, true)).statusCode());
        assertEquals(1, fixtures.strings("select credential_id from webauthn_credential where account_id = ?", account.id()).size());

        clock.advance(Duration.ofMinutes(6));
        Map<String, String> remove = Map.of("csrf", browser.csrf(), "credential_id", authenticator.credentialId());
        assertEquals(303, browser.post("/account/security/passkey/remove", remove).statusCode());
        assertEquals(1, fixtures.strings("select credential_id from webauthn_credential where account_id = ?", account.id()).size(),
                "not removed without a fresh factor");
        clock.advance(Duration.ofSeconds(60));
        assertEquals(303, browser.post("/account/security/reauth", Map.of("csrf", browser.csrf(), "password", account.password(),
                "code", accounts.code(account.totpKey()))).statusCode());
        HttpResponse<String> removed = browser.post("/account/security/passkey/remove", remove);
        assertTrue(removed.headers().firstValue("Location").orElseThrow().endsWith("done=passkey-removed"));
        assertEquals(List.of(), fixtures.strings("select credential_id from webauthn_credential where account_id = ?", account.id()));
    }

    @Test
    void anAal2SessionStepsUpToPhrWithAPasskey() throws Exception {
        SoftwareAuthenticator authenticator = new SoftwareAuthenticator();
        TestAccounts.TestAccount account = withPasskey(authenticator);
        SsoBrowser browser = new SsoBrowser();
        browser.authorize(Map.of());
        browser.password(account.username(), account.password());
        assertEquals("aal2", browser.redeem(SsoBrowser.code(browser.totp(accounts.nextCode(account.totpKey())))).getStringClaim("acr"));
        SsoBrowser.code(browser.authorize(Map.of("acr_values", "aal2", "prompt", "none")));
        assertEquals("interaction_required", SsoBrowser.error(browser.authorize(Map.of("acr_values", "phr", "prompt", "none"))));
        HttpResponse<String> stepUp = browser.authorize(Map.of("acr_values", "phr"));
        assertTrue(stepUp.body().contains("id=\"passkey-form\""), stepUp.body());
        String challenge = signInChallenge(browser, authenticator);
        JWTClaimsSet claims = browser.redeem(SsoBrowser.code(signIn(browser, authenticator.authenticate(challenge, ORIGIN, RP_ID, true))));
        assertEquals("phr", claims.getStringClaim("acr"));
    }
}
