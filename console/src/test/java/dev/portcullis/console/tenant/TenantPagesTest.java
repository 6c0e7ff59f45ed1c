package dev.portcullis.console.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.console.TestProvider;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tenant pages over real HTTP, signed in through the code flow with PKCE ({@link TestProvider}), against
 * stand-ins for policy-service, command-service and device-registry ({@link TenantStandIns}) that answer only the
 * tenant's own token: my doors, an unlock followed to the lock's acknowledgement, failure reasons in words, the
 * RFC 9470 step-up through a new authorization, guest codes, and CSRF refusals that reach no API.
 */
@QuarkusTest
@QuarkusTestResource(value = TestProvider.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TenantStandIns.class, restrictToAnnotatedClass = true)
class TenantPagesTest {

    static final String FRONT = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a10";
    static final String UNIT = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a20";
    static final String ROOF = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a30";
    static final String ATTEMPT = "a7700000-0000-4000-8000-000000000001";
    static final String CODE = "c0de0000-0000-4000-8000-000000000001";

    @TestHTTPResource("/")
    URI console;

    HttpClient browser;

    @BeforeEach
    void freshBrowserAndApis() {
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        TenantStandIns.reset();
        TestProvider.REGISTRY_CALLS.clear();
        TenantStandIns.myDoors = """
                {"subjectId":"tenant-1","doors":[
                 {"doorId":"%s","door":"Front entrance","openNow":true,"nextOpening":null,"notes":[]},
                 {"doorId":"%s","door":"Rooftop terrace","openNow":false,"nextOpening":"2026-12-03T15:00:00Z","notes":[]},
                 {"doorId":"%s","door":"Unit 4B","openNow":true,"nextOpening":null,"notes":["STEP_UP_REQUIRED"]}]}"""
                .formatted(FRONT, ROOF, UNIT);
    }

    @Test
    void aTenantSeesTheDoorsTheyCanOpenNowAndWhenTheOthersOpen() throws Exception {
        HttpResponse<String> page = signIn("tenant-1", "/me", "tenant");
        assertEquals(200, page.statusCode(), page.body());
        String html = page.body();
        assertTrue(html.contains("<meta name=\"viewport\""), "mobile viewport");
        assertFalse(html.contains("<script"), "no JavaScript");
        String openNow = html.substring(html.indexOf("id=\"open-now\""), html.indexOf("id=\"later\""));
        assertTrue(openNow.contains("Front entrance") && openNow.contains("Unit 4B") && !openNow.contains("Rooftop"), openNow);
        assertTrue(openNow.contains("action=\"/me/doors/" + UNIT + "/unlock\""), "an Unlock button per door open now");
        assertTrue(openNow.contains("asks for a fresh sign-in"), "the door's note in words");
        String later = html.substring(html.indexOf("id=\"later\""));
        assertTrue(later.contains("Rooftop terrace") && later.contains("opens Thu 3 Dec, 15:00 UTC"), later);
        assertFalse(later.contains("/unlock"), "no Unlock button for a door that does not open now");

        List<TenantStandIns.Call> asked = TenantStandIns.calls("/v1/me/doors");
        assertEquals(1, asked.size());
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("tenant-1"), asked.get(0).authorization(), "the tenant's own token");
        assertTrue(TestProvider.REGISTRY_CALLS.isEmpty());
    }

    @Test
    void anUnlockGoesToCommandServiceWithTheTenantsTokenAndIsFollowedToTheLocksAcknowledgement() throws Exception {
        String html = signIn("tenant-2", "/me", "tenant").body();
        TenantStandIns.unlock = TenantStandIns.Answer.json(201, attempt("dispatched", List.of()));
        TenantStandIns.attempt(ATTEMPT, attempt("dispatched", List.of()), attempt("succeeded", List.of()));
        Map<String, String> form = form(html, "/me/doors/" + FRONT + "/unlock");

        HttpResponse<String> sent = post("/me/doors/" + FRONT + "/unlock", form);
        assertEquals(303, sent.statusCode(), sent.body());
        assertEquals("/me/attempts/" + ATTEMPT, URI.create(sent.headers().firstValue("Location").orElseThrow()).getPath());
        TenantStandIns.Call unlock = TenantStandIns.calls("/v1/doors/").get(0);
        assertEquals("POST", unlock.method());
        assertEquals("/v1/doors/" + FRONT + "/unlock", unlock.path());
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("tenant-2"), unlock.authorization());
        assertEquals(form.get("unlockKey"), unlock.idempotencyKey(), "the form's key: sending it twice is one unlock");

        HttpResponse<String> opening = get("/me/attempts/" + ATTEMPT);
        assertEquals(200, opening.statusCode(), opening.body());
        assertTrue(opening.body().contains("data-status=\"dispatched\""));
        assertTrue(opening.body().contains("<meta http-equiv=\"refresh\" content=\"1\">"), "refreshes itself until final");
        assertTrue(opening.body().contains("<p class=\"attempt-door\">Front entrance</p>"));
        HttpResponse<String> done = get("/me/attempts/" + ATTEMPT);
        assertTrue(done.body().contains(">Unlocked</h1>") && done.body().contains("The lock confirmed it opened."), done.body());
        assertFalse(done.body().contains("http-equiv=\"refresh\""), "a final state stops refreshing");
        assertTrue(done.body().contains("<li class=\"done\">Confirmed by the lock</li>"), done.body());
    }

    @Test
    void aDeniedOrFailedUnlockSaysWhyInWords() throws Exception {
        String html = signIn("tenant-3", "/me", "tenant").body();
        TenantStandIns.unlock = TenantStandIns.Answer.json(403,
                "{\"type\":\"https://portcullis.dev/problems/unlock-denied\",\"status\":403,\"actionAttemptId\":\"" + ATTEMPT
                        + "\",\"reasons\":[\"OUTSIDE_SCHEDULE\"]}");
        TenantStandIns.attempt(ATTEMPT, attempt("denied", List.of("OUTSIDE_SCHEDULE")));
        HttpResponse<String> sent = post("/me/doors/" + FRONT + "/unlock", form(html, "/me/doors/" + FRONT + "/unlock"));
        assertEquals(303, sent.statusCode(), sent.body());
        HttpResponse<String> denied = get(URI.create(sent.headers().firstValue("Location").orElseThrow()).getPath());
        assertTrue(denied.body().contains(">Not allowed</h1>"), denied.body());
        assertTrue(denied.body().contains("Your access does not cover this time of day or week."), denied.body());
        assertTrue(denied.body().contains("role=\"alert\""));
        assertTrue(denied.body().contains("<li class=\"\">Sent to the lock</li>"), "a denied unlock never reached the lock");

        TenantStandIns.attempt(ATTEMPT, attempt("failed", List.of("LOCK_OFFLINE")));
        HttpResponse<String> offline = get("/me/attempts/" + ATTEMPT);
        assertTrue(offline.body().contains(">Did not open</h1>") && offline.body().contains("The lock is offline"), offline.body());
        TenantStandIns.attempt(ATTEMPT, attempt("expired", List.of("NO_ACKNOWLEDGEMENT")));
        HttpResponse<String> expired = get("/me/attempts/" + ATTEMPT);
        assertTrue(expired.body().contains(">Expired</h1>") && expired.body().contains("will not open the door later"), expired.body());
        // somebody else's attempt does not exist for this tenant (command-service answers 404)
        assertEquals(404, get("/me/attempts/a7700000-0000-4000-8000-000000000999").statusCode());
        assertEquals(404, get("/me/attempts/not-an-id").statusCode());
    }

    @Test
    void aStepUpChallengeSendsTheTenantThroughAFreshSignInAtTheAskedLevelAndBack() throws Exception {
        String html = signIn("tenant-4", "/me", "tenant").body();
        String firstToken = TestProvider.lastAccessTokenOf("tenant-4");
        TenantStandIns.unlock = new TenantStandIns.Answer(401, "{\"status\":401,\"actionAttemptId\":\"" + ATTEMPT + "\"}",
                Map.of("WWW-Authenticate", "Bearer error=\"insufficient_user_authentication\", acr_values=\"aal2\", max_age=\"300\""));
        HttpResponse<String> sent = post("/me/doors/" + UNIT + "/unlock", form(html, "/me/doors/" + UNIT + "/unlock"));
        assertEquals(303, sent.statusCode(), sent.body());
        URI stepUp = console.resolve(sent.headers().firstValue("Location").orElseThrow());
        assertEquals("/me/step-up/doors/" + UNIT, stepUp.getPath());

        // the console session ended: the step-up page needs a new authorization, asking for a new sign-in at aal2
        HttpResponse<String> toProvider = get(stepUp.getRawPath() + "?" + stepUp.getRawQuery());
        assertEquals(302, toProvider.statusCode(), toProvider.body());
        String authorize = toProvider.headers().firstValue("Location").orElseThrow();
        assertTrue(authorize.contains("/authorize?"), authorize);
        assertTrue(authorize.contains("prompt=login"), authorize);
        assertTrue(authorize.contains("acr_values=aal2"), authorize);
        assertTrue(authorize.contains("max_age=300"), authorize);
        assertTrue(authorize.contains("code_challenge_method=S256"), authorize);

        HttpResponse<String> back = follow(URI.create(authorize), toProvider, "tenant-4");
        assertEquals(200, back.statusCode(), back.body());
        assertTrue(back.body().contains("<h1>Signed in again</h1>") && back.body().contains("Unlock Unit 4B"), back.body());
        String secondToken = TestProvider.lastAccessTokenOf("tenant-4");
        assertFalse(secondToken.equals(firstToken), "a new sign-in, a new token");

        TenantStandIns.unlock = TenantStandIns.Answer.json(201, attempt("succeeded", List.of()));
        TenantStandIns.attempt(ATTEMPT, attempt("succeeded", List.of()));
        HttpResponse<String> again = post("/me/doors/" + UNIT + "/unlock", form(back.body(), "/me/doors/" + UNIT + "/unlock"));
        assertEquals(303, again.statusCode(), again.body());
        List<TenantStandIns.Call> unlocks = TenantStandIns.calls("/v1/doors/");
        assertEquals("Bearer " + secondToken, unlocks.get(unlocks.size() - 1).authorization(), "sent with the fresh sign-in's token");
        // the step-up page's additions only ever go to a step-up authorization: /me itself asks for nothing more
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        String plain = get("/me?acr_values=aal2&max_age=1").headers().firstValue("Location").orElseThrow();
        assertFalse(plain.contains("prompt=login") || plain.contains("acr_values"), plain);
    }

    @Test
    void formsWithoutThisBrowsersCsrfTokenOrFromAnotherOriginAreRefusedAndReachNoApi() throws Exception {
        String html = signIn("tenant-5", "/me", "tenant").body();
        TenantStandIns.unlock = TenantStandIns.Answer.json(201, attempt("succeeded", List.of()));
        Map<String, String> good = form(html, "/me/doors/" + FRONT + "/unlock");
        Map<String, String> missing = new LinkedHashMap<>(good);
        missing.remove("csrf");
        Map<String, String> wrong = new LinkedHashMap<>(good);
        wrong.put("csrf", "A".repeat(43));
        for (Map<String, String> bad : List.of(missing, wrong)) {
            HttpResponse<String> refused = post("/me/doors/" + FRONT + "/unlock", bad);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("<h1>Form not accepted</h1>"), refused.body());
        }
        HttpResponse<String> crossSite = browser.send(HttpRequest.newBuilder(console.resolve("/me/doors/" + FRONT + "/unlock"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString(encode(good))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, crossSite.statusCode(), crossSite.body());
        assertEquals(403, post("/me/guest-codes", Map.of("doorId", FRONT, "guestName", "Rose", "validity", "1d")).statusCode());
        assertEquals(403, post("/me/guest-codes/" + CODE + "/revoke", Map.of()).statusCode());
        assertTrue(TenantStandIns.calls("/v1/doors/").isEmpty(), "no unlock was sent");
        assertTrue(TenantStandIns.calls("/v1/me/guest-codes").stream().noneMatch(call -> call.method().equals("POST")),
                "no guest code was created or revoked");
        // the same form with its token goes through (browsers send Origin: null under Referrer-Policy: no-referrer)
        HttpResponse<String> sameSite = browser.send(HttpRequest.newBuilder(console.resolve("/me/doors/" + FRONT + "/unlock"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", "null")
                .POST(HttpRequest.BodyPublishers.ofString(encode(good))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(303, sameSite.statusCode(), sameSite.body());
    }

    @Test
    void guestCodesAreListedCreatedWithThePinShownOnceAndRevoked() throws Exception {
        TenantStandIns.guestCodes = "[" + code("active", "Grandma Rose") + "]";
        HttpResponse<String> page = signIn("tenant-6", "/me/guest-codes", "tenant");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("Grandma Rose") && page.body().contains("on the lock"), page.body());
        assertTrue(page.body().contains("<option value=\"" + ROOF + "\">Rooftop terrace</option>"), "every door of the tenant to choose from");

        TenantStandIns.createGuestCode = TenantStandIns.Answer.json(201, code("sync_pending", "Sam").replace("\"pin\":null", "\"pin\":\"739154\""));
        Map<String, String> form = form(page.body(), "/me/guest-codes");
        form.put("guestName", "Sam");
        form.put("doorId", UNIT);
        form.put("validity", "1d");
        HttpResponse<String> created = post("/me/guest-codes", form);
        assertEquals(201, created.statusCode(), created.body());
        assertEquals("no-store", created.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(created.body().contains("data-pin=\"739154\""), "the PIN, this once");
        TenantStandIns.Call call = TenantStandIns.calls("/v1/me/guest-codes").stream().filter(c -> c.method().equals("POST")).findFirst().orElseThrow();
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("tenant-6"), call.authorization());
        JsonObject body = new JsonObject(call.body());
        assertEquals(UNIT, body.getString("doorId"));
        assertEquals("Sam", body.getString("guestName"));
        Duration validity = Duration.between(Instant.now(), Instant.parse(body.getString("validUntil")));
        assertTrue(validity.compareTo(Duration.ofHours(23)) > 0 && validity.compareTo(Duration.ofDays(1)) <= 0, validity.toString());
        assertFalse(get("/me/guest-codes").body().contains("739154"), "never shown again");

        // the registry refuses (policy: the tenant cannot open that door then): its words, its status
        TenantStandIns.createGuestCode = TenantStandIns.Answer.json(403,
                "{\"status\":403,\"detail\":\"You cannot open this door during that time, so you cannot give a guest a code for it\"}");
        HttpResponse<String> refused = post("/me/guest-codes", form);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("You cannot open this door during that time"), refused.body());

        HttpResponse<String> revoked = post("/me/guest-codes/" + CODE + "/revoke", Map.of("csrf", form.get("csrf")));
        assertEquals(303, revoked.statusCode(), revoked.body());
        assertTrue(TenantStandIns.calls("/v1/me/guest-codes/" + CODE + "/revoke").size() == 1);
    }

    @Test
    void theStartSendsTenantsToTheirDoorsAndOperatorPagesStayClosed() throws Exception {
        HttpResponse<String> start = signIn("tenant-7", "/me", "tenant");
        assertEquals(200, start.statusCode());
        HttpResponse<String> home = get("/");
        assertEquals(303, home.statusCode());
        assertEquals("/me", URI.create(home.headers().firstValue("Location").orElseThrow()).getPath());
        HttpResponse<String> portfolio = get("/portfolio");
        assertEquals(403, portfolio.statusCode());
        assertTrue(portfolio.body().contains("<h1>Not an operator</h1>"));
        assertTrue(TestProvider.REGISTRY_CALLS.isEmpty(), "the operator API is never asked");

        browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        signIn("ops-7", "/me", "operator");
        assertEquals("/portfolio", URI.create(get("/").headers().firstValue("Location").orElseThrow()).getPath());
    }

    @Test
    void signingOutEndsTheConsoleSessionAndTheSignInAtTheProvider() throws Exception {
        assertEquals(200, signIn("tenant-8", "/me", "tenant").statusCode());
        HttpResponse<String> out = get("/sign-out");
        assertEquals(302, out.statusCode(), out.body());
        String logout = out.headers().firstValue("Location").orElseThrow();
        assertTrue(logout.contains("/logout?") && logout.contains("id_token_hint="), "RP-initiated logout at the provider: " + logout);
        HttpResponse<String> again = get("/me");
        assertEquals(302, again.statusCode());
        assertTrue(again.headers().firstValue("Location").orElseThrow().contains("/authorize?"), "signed out: sign in again");
    }

    @Test
    void nobodySignedInIsSentToSignIn() throws Exception {
        for (String path : List.of("/me", "/me/guest-codes", "/me/attempts/" + ATTEMPT, "/me/step-up/doors/" + UNIT)) {
            HttpResponse<String> response = get(path);
            assertEquals(302, response.statusCode(), path);
            assertTrue(response.headers().firstValue("Location").orElseThrow().contains("/authorize?"), path);
        }
        HttpResponse<String> post = post("/me/doors/" + FRONT + "/unlock", Map.of("csrf", "x"));
        assertTrue(post.statusCode() == 302 || post.statusCode() == 401, "a POST without a session does nothing: " + post.statusCode());
        assertTrue(TenantStandIns.CALLS.isEmpty());
    }

    // ---- helpers

    private static String attempt(String status, List<String> reasons) {
        return new JsonObject().put("id", ATTEMPT).put("doorId", FRONT).put("status", status).put("reasons", reasons)
                .put("requester", new JsonObject().put("type", "user").put("id", "tenant")).encode();
    }

    private static String code(String state, String guest) {
        return """
                {"id":"%s","doorId":"%s","door":"Unit 4B","guestName":"%s","validFrom":"2026-12-03T10:00:00Z",
                 "validUntil":"2026-12-04T10:00:00Z","expired":false,"state":"%s","pendingSeconds":null,"pin":null}"""
                .formatted(CODE, UNIT, guest, state);
    }

    /** The hidden fields of the form posting to {@code action}. */
    private static Map<String, String> form(String html, String action) {
        int start = html.indexOf("action=\"" + action + "\"");
        assertTrue(start >= 0, "a form to " + action + " in " + html);
        String form = html.substring(start, html.indexOf("</form>", start));
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher hidden = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">").matcher(form);
        while (hidden.find()) {
            fields.put(hidden.group(1), hidden.group(2));
        }
        assertNotNull(fields.get("csrf"), form);
        return fields;
    }

    private HttpResponse<String> signIn(String subject, String path, String... roles) throws Exception {
        TestProvider.nextLogin(subject, TestProvider.ORG, roles);
        URI next = console.resolve(path);
        HttpResponse<String> response = get(path);
        return follow(next, response, subject);
    }

    /** Follows redirects (through the provider, signing in whoever nextLogin names) to the final page. */
    private HttpResponse<String> follow(URI next, HttpResponse<String> response, String subject) throws Exception {
        TestProvider.nextLogin(subject, TestProvider.ORG, subject.startsWith("ops") ? new String[] {"operator"} : new String[] {"tenant"});
        for (int hops = 0; response.statusCode() == 302 || response.statusCode() == 303; hops++) {
            assertTrue(hops < 6, "too many redirects");
            next = next.resolve(response.headers().firstValue("Location").orElseThrow());
            response = browser.send(HttpRequest.newBuilder(next).header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
        }
        return response;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return browser.send(HttpRequest.newBuilder(console.resolve(path)).header("Accept", "text/html").GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> fields) throws Exception {
        return browser.send(HttpRequest.newBuilder(console.resolve(path)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(encode(fields))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String encode(Map<String, String> fields) {
        return fields.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
