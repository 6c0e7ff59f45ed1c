package dev.portcullis.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator's actions over real HTTP, signed in through the code flow with PKCE ({@link TestProvider}), with
 * loopback stand-ins for device-registry, command-service and policy-service ({@link ActionPeers}): every action
 * reaches its peer with the operator's own token and only after a confirmation step and with the session's form
 * token; refusals are pages that say why; a lockdown that policy wants a fresher second factor for sends the
 * operator through a new authorization with {@code acr_values}/{@code max_age} and back.
 */
@QuarkusTest
@QuarkusTestResource(value = TestProvider.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ActionPeers.class, restrictToAnnotatedClass = true)
class ConsoleActionsTest {

    static final String PROPERTY = "2a4e8c61-5b7d-4f0e-8a3c-9d2f1e6b4c02";
    static final String BUILDING = "3b5f9d72-6c8e-4a1f-9b4d-0e3a2f7c5d03";
    static final String UNIT = "4c6a0e83-7d9f-4b2a-8c5e-1f4b3a8d6e04";
    static final String UNIT_DOOR = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a20";
    static final String LOBBY = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a10";
    static final String UNIT_LOCK = "9c1e4b7a-2f3d-4a5b-8c6d-7e9f0a1b2c21";
    static final String PIN = "c0000000-0000-0000-0000-000000000001";
    static final String CARD = "c0000000-0000-0000-0000-000000000002";
    static final String LOBBY_PIN = "c0000000-0000-0000-0000-000000000003";
    static final String TURNOVER = "d0000000-0000-0000-0000-000000000001";
    static final String ATTEMPT = "e0000000-0000-0000-0000-000000000001";
    static final Pattern FORM_TOKEN = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @TestHTTPResource("/")
    URI console;

    HttpClient browser;

    @BeforeEach
    void freshBrowserAndPeers() {
        browser = newBrowser();
        TestProvider.registryStatus = 200;
        TestProvider.REGISTRY_CALLS.clear();
        TestProvider.REGISTRY_REQUESTS.clear();
        TestProvider.AUTHORIZATIONS.clear();
        TestProvider.REGISTRY.clear();
        ActionPeers.reset();
        TestProvider.REGISTRY.putAll(Map.of(
                "properties", "[{\"id\":\"" + PROPERTY + "\",\"name\":\"Harbor Lofts\",\"timeZone\":\"America/New_York\"}]",
                "properties/" + PROPERTY + "/buildings", "[{\"id\":\"" + BUILDING + "\",\"propertyId\":\"" + PROPERTY + "\",\"name\":\"Tower A\"}]",
                "buildings/" + BUILDING + "/units", "[{\"id\":\"" + UNIT + "\",\"buildingId\":\"" + BUILDING + "\",\"name\":\"4B\"}]",
                "doors", "[{\"id\":\"" + UNIT_DOOR + "\",\"propertyId\":\"" + PROPERTY + "\",\"name\":\"Unit 4B\",\"lockId\":\"" + UNIT_LOCK
                        + "\"},{\"id\":\"" + LOBBY + "\",\"propertyId\":\"" + PROPERTY + "\",\"name\":\"Lobby\"}]",
                "credentials/" + PIN, credential(PIN, "Alex's PIN", "tenant-7", UNIT_DOOR, "active", null),
                "credentials?unitId=" + UNIT + "&limit=1000", "[" + credential(PIN, "Alex's PIN", "tenant-7", UNIT_DOOR, "active", null) + ","
                        + credential(CARD, "Alex's card", "tenant-7", UNIT_DOOR, "revoked", null) + "]",
                "credentials?holderSubjectId=tenant-7&limit=1000", "[" + credential(PIN, "Alex's PIN", "tenant-7", UNIT_DOOR, "active", null)
                        + "," + credential(LOBBY_PIN, "Alex's lobby PIN", "tenant-7", LOBBY, "active", null) + "]"));
    }

    @Test
    void revokingACredentialIsConfirmedFirstThenSentWithTheOperatorsToken() throws Exception {
        HttpResponse<String> confirm = signIn("ops-1", "/credentials/" + PIN + "/revoke", "operator");
        assertEquals(200, confirm.statusCode(), confirm.body());
        assertTrue(confirm.body().contains("may still open"), "what pending means, before confirming");
        assertTrue(registryPosts().isEmpty(), "nothing is revoked by opening the confirmation");

        TestProvider.REGISTRY.put("POST credentials/" + PIN + "/revoke", credential(PIN, "Alex's PIN", "tenant-7", UNIT_DOOR, "revoke_pending", 0L));
        HttpResponse<String> done = post("/credentials/" + PIN + "/revoke", Map.of("csrf", token(confirm), "reason", "lost phone"));
        assertEquals(303, done.statusCode(), done.body());
        assertEquals(console.resolve("/locks/" + UNIT_LOCK).toString(), done.headers().firstValue("Location").orElseThrow());
        List<String[]> posts = registryPosts();
        assertEquals(1, posts.size());
        assertEquals("/admin/v1/organizations/" + TestProvider.ORG + "/credentials/" + PIN + "/revoke", posts.get(0)[1]);
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("ops-1"), posts.get(0)[2], "the operator's own token");
        assertEquals("lost phone", new JsonObject(posts.get(0)[3]).getString("reason"));
    }

    @Test
    void aPostWithoutThisSessionsFormTokenIsRefusedAndReachesNoService() throws Exception {
        HttpResponse<String> page = signIn("ops-2", "/credentials/" + PIN + "/revoke", "operator");
        assertEquals(200, page.statusCode(), page.body());
        String[] routes = {"/credentials/" + PIN + "/revoke", "/units/" + UNIT + "/turnover/review", "/units/" + UNIT + "/turnover",
                "/approvals/" + ATTEMPT + "/approve", "/properties/" + PROPERTY + "/lockdown", "/properties/" + PROPERTY + "/lockdown/lift"};
        // another session's token (another operator's browser) is no better than none
        HttpClient mine = browser;
        browser = newBrowser();
        String othersToken = token(signIn("ops-2b", "/credentials/" + PIN + "/revoke", "operator"));
        assertNotEquals(token(page), othersToken);
        browser = mine;
        for (String route : routes) {
            for (Map<String, String> form : List.of(Map.of("reason", "x"), Map.of("csrf", "", "reason", "x"), Map.of("csrf", othersToken, "reason", "x"))) {
                HttpResponse<String> refused = post(route, form);
                assertEquals(403, refused.statusCode(), route + " " + form.keySet());
                assertTrue(refused.body().contains("<h1>Form not accepted</h1>"), refused.body());
            }
        }
        assertTrue(registryPosts().isEmpty(), "no registry change");
        assertTrue(ActionPeers.COMMAND_REQUESTS.stream().noneMatch(r -> r[0].equals("POST")), "no approval sent");
        assertTrue(ActionPeers.POLICY_REQUESTS.stream().noneMatch(r -> !r[0].equals("GET")), "no lockdown sent");
        TestProvider.REGISTRY.put("POST credentials/" + PIN + "/revoke", credential(PIN, "Alex's PIN", "tenant-7", UNIT_DOOR, "revoke_pending", 0L));
        assertEquals(303, post("/credentials/" + PIN + "/revoke", Map.of("csrf", token(page))).statusCode(), "the page's own token is accepted");
    }

    @Test
    void theTurnoverWizardShowsWhatWillHappenStartsItAndItsReportRefreshesUntilComplete() throws Exception {
        HttpResponse<String> units = signIn("ops-3", "/units", "operator");
        assertEquals(200, units.statusCode(), units.body());
        assertTrue(units.body().contains("href=\"/units/" + UNIT + "/turnover\""), "each unit links to its turnover");
        assertTrue(units.body().contains("Tower A") && units.body().contains("Harbor Lofts"));

        HttpResponse<String> form = get("/units/" + UNIT + "/turnover");
        assertEquals(200, form.statusCode(), form.body());
        assertTrue(form.body().contains("1 credential of this unit is live"), form.body());

        HttpResponse<String> review = post("/units/" + UNIT + "/turnover/review", Map.of("csrf", token(form), "previousTenants", "", "reason", "lease ended"));
        assertEquals(200, review.statusCode(), review.body());
        String html = review.body();
        assertTrue(html.contains("2 credentials will be revoked"), "the unit's PIN and the tenant's lobby PIN: " + html);
        assertTrue(html.contains("data-credential-id=\"" + PIN + "\"") && html.contains("data-credential-id=\"" + LOBBY_PIN + "\""));
        assertFalse(html.contains("data-credential-id=\"" + CARD + "\""), "an already revoked card is not revoked again");
        assertTrue(html.contains("<code>tenant-7</code>"), "whose grants end (the holders, none being named)");
        assertTrue(registryPosts().isEmpty(), "nothing happens before the confirmation");

        TestProvider.REGISTRY.put("POST units/" + UNIT + "/turnover", report(false));
        TestProvider.REGISTRY.put("turnovers/" + TURNOVER, report(false));
        HttpResponse<String> started = post("/units/" + UNIT + "/turnover", Map.of("csrf", token(review), "previousTenants", "", "reason", "lease ended"));
        assertEquals(303, started.statusCode(), started.body());
        assertEquals(console.resolve("/turnovers/" + TURNOVER).toString(), started.headers().firstValue("Location").orElseThrow());
        List<String[]> posts = registryPosts();
        assertEquals(1, posts.size());
        assertEquals("/admin/v1/organizations/" + TestProvider.ORG + "/units/" + UNIT + "/turnover", posts.get(0)[1]);
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("ops-3"), posts.get(0)[2]);
        assertEquals(new JsonObject().put("reason", "lease ended"), new JsonObject(posts.get(0)[3]), "no tenants named: the registry finds them");

        HttpResponse<String> pending = get("/turnovers/" + TURNOVER);
        assertEquals(200, pending.statusCode(), pending.body());
        assertTrue(pending.body().contains("<meta http-equiv=\"refresh\" content=\"3\">"), "reloads itself while not complete");
        assertTrue(pending.body().contains("id=\"pending-count\">1 (oldest waiting 2 min)"), pending.body());
        assertTrue(pending.body().contains("revoke pending"));

        TestProvider.REGISTRY.put("turnovers/" + TURNOVER, report(true));
        HttpResponse<String> complete = get("/turnovers/" + TURNOVER);
        assertFalse(complete.body().contains("http-equiv=\"refresh\""), "stops reloading once complete");
        assertTrue(complete.body().contains("complete</span>"));
        assertTrue(complete.body().contains("id=\"confirmed-count\">2<"));
        assertTrue(complete.body().contains("<code>g-1</code>"), "the revoked grants");
    }

    @Test
    void approvingShowsHowTheUnlockEndedAndRefusalsSayWhy() throws Exception {
        ActionPeers.COMMAND.put("GET approvals", new ActionPeers.Answer(200, "[" + attempt("pending_approval") + "]"));
        HttpResponse<String> inbox = signIn("ops-4", "/approvals", "operator");
        assertEquals(200, inbox.statusCode(), inbox.body());
        assertTrue(inbox.body().contains("<th scope=\"row\">Unit 4B</th>"), "the door by name");
        assertTrue(inbox.body().contains("action=\"/approvals/" + ATTEMPT + "/approve\""));
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("ops-4"), ActionPeers.COMMAND_REQUESTS.get(0)[2]);

        ActionPeers.COMMAND.put("POST action-attempts/" + ATTEMPT + "/approve", new ActionPeers.Answer(200, attempt("succeeded")));
        HttpResponse<String> approved = post("/approvals/" + ATTEMPT + "/approve", Map.of("csrf", token(inbox)));
        assertEquals(200, approved.statusCode(), approved.body());
        assertTrue(approved.body().contains("<h1>Unlocked</h1>"), approved.body());
        String[] call = ActionPeers.COMMAND_REQUESTS.stream().filter(r -> r[0].equals("POST")).findFirst().orElseThrow();
        assertEquals("/v1/action-attempts/" + ATTEMPT + "/approve", call[1]);
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("ops-4"), call[2], "approved with the operator's own token");

        ActionPeers.COMMAND.put("POST action-attempts/" + ATTEMPT + "/approve", new ActionPeers.Answer(409,
                "{\"type\":\"already-approved\",\"title\":\"Conflict\",\"status\":409,\"detail\":\"This unlock was already approved\"}"));
        HttpResponse<String> again = post("/approvals/" + ATTEMPT + "/approve", Map.of("csrf", token(inbox)));
        assertEquals(409, again.statusCode());
        assertTrue(again.body().contains("<h1>Approval refused</h1>") && again.body().contains("This unlock was already approved"), again.body());

        ActionPeers.COMMAND.put("POST action-attempts/" + ATTEMPT + "/approve", new ActionPeers.Answer(403,
                "{\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Approving this unlock needs the role operator for its door\"}"));
        HttpResponse<String> forbidden = post("/approvals/" + ATTEMPT + "/approve", Map.of("csrf", token(inbox)));
        assertEquals(403, forbidden.statusCode());
        assertTrue(forbidden.body().contains("needs the role operator"), forbidden.body());

        ActionPeers.COMMAND.put("POST action-attempts/" + ATTEMPT + "/approve", new ActionPeers.Answer(200, attempt("denied")));
        HttpResponse<String> denied = post("/approvals/" + ATTEMPT + "/approve", Map.of("csrf", token(inbox)));
        assertTrue(denied.body().contains("policy denied") && denied.body().contains("LOCKDOWN"), denied.body());

        ActionPeers.COMMAND.put("GET approvals", new ActionPeers.Answer(500, "{\"detail\":\"database on fire\"}"));
        HttpResponse<String> failing = get("/approvals");
        assertEquals(502, failing.statusCode());
        assertTrue(failing.body().contains("<h1>Command service unavailable</h1>"), failing.body());
        assertFalse(failing.body().contains("on fire") || failing.body().contains("at dev.portcullis"), "no internal detail");
    }

    @Test
    void aLockdownPolicyWantsAFresherSecondFactorForGoesThroughStepUpAndBack() throws Exception {
        ActionPeers.POLICY.put("GET properties", new ActionPeers.Answer(200, "[" + property(false) + "]"));
        ActionPeers.POLICY.put("GET properties/" + PROPERTY, new ActionPeers.Answer(200, property(false)));
        ActionPeers.POLICY.put("POST properties/" + PROPERTY + "/lockdown", new ActionPeers.Answer(200, property(true)));
        HttpResponse<String> list = signIn("ops-5", "/lockdown", "operator");
        assertEquals(200, list.statusCode(), list.body());
        assertTrue(list.body().contains("href=\"/properties/" + PROPERTY + "/lockdown\">Lock down…</a>"));
        String weakToken = TestProvider.lastAccessTokenOf("ops-5");
        assertEquals("aal1", ActionPeers.claims(weakToken).getString("acr"));

        HttpResponse<String> confirm = get("/properties/" + PROPERTY + "/lockdown");
        assertEquals(200, confirm.statusCode(), confirm.body());
        HttpResponse<String> challenged = post("/properties/" + PROPERTY + "/lockdown", Map.of("csrf", token(confirm), "reason", "gas leak"));
        assertEquals(401, challenged.statusCode(), challenged.body());
        assertTrue(challenged.body().contains("<h1>Sign in again to continue</h1>"));
        Matcher link = Pattern.compile("href=\"(/step-up\\?[^\"]+)\"").matcher(challenged.body());
        assertTrue(link.find(), challenged.body());

        // follow the link: the console drops its session and starts a new authorization with the challenge's demands
        TestProvider.AUTHORIZATIONS.clear();
        URI next = console.resolve(link.group(1).replace("&amp;", "&"));
        HttpResponse<String> response = get(next);
        for (int hops = 0; response.statusCode() / 100 == 3; hops++) {
            assertTrue(hops < 8, "too many redirects");
            next = next.resolve(response.headers().firstValue("Location").orElseThrow());
            response = get(next);
        }
        assertEquals(1, TestProvider.AUTHORIZATIONS.size(), "one new authorization request");
        Map<String, String> authorization = TestProvider.AUTHORIZATIONS.get(0);
        assertEquals("aal2", authorization.get("acr_values"));
        assertEquals("900", authorization.get("max_age"));
        assertEquals("S256", authorization.get("code_challenge_method"));
        assertEquals(console.resolve("/properties/" + PROPERTY + "/lockdown?reason=gas+leak"), next, "back at the confirmation, reason kept");
        assertTrue(response.body().contains("value=\"gas leak\""), response.body());
        String strongToken = TestProvider.lastAccessTokenOf("ops-5");
        assertNotEquals(weakToken, strongToken);
        assertEquals("aal2", ActionPeers.claims(strongToken).getString("acr"));

        assertEquals(403, post("/properties/" + PROPERTY + "/lockdown", Map.of("csrf", token(confirm), "reason", "gas leak")).statusCode(),
                "a form of the session before the step-up is not accepted");
        HttpResponse<String> declared = post("/properties/" + PROPERTY + "/lockdown", Map.of("csrf", token(response), "reason", "gas leak"));
        assertEquals(303, declared.statusCode(), declared.body());
        assertEquals(console.resolve("/lockdown").toString(), declared.headers().firstValue("Location").orElseThrow());
        List<String[]> writes = ActionPeers.POLICY_REQUESTS.stream().filter(r -> r[0].equals("POST")).toList();
        assertEquals(2, writes.size(), "refused once, then declared");
        assertEquals("Bearer " + strongToken, writes.get(1)[2]);
        assertEquals("gas leak", new JsonObject(writes.get(1)[3]).getString("reason"));
    }

    @Test
    void aStepUpLinkOnlyEverLeadsBackIntoTheConsole() throws Exception {
        for (String then : new String[] {"https://evil.example/", "//evil.example/x", "/\\evil.example"}) {
            signIn("ops-6", "/units", "operator");
            HttpResponse<String> step = get(console.resolve("/step-up?then=" + URLEncoder.encode(then, StandardCharsets.UTF_8)));
            assertEquals(303, step.statusCode());
            assertEquals(console.resolve("/step-up/signed-in?then=%2F").toString(), step.headers().firstValue("Location").orElseThrow(), then);
        }
        signIn("ops-6", "/units", "operator");
        HttpResponse<String> fromElsewhere = browser.send(HttpRequest.newBuilder(console.resolve("/step-up?then=%2Funits"))
                .header("Sec-Fetch-Site", "cross-site").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(403, fromElsewhere.statusCode(), "another site cannot sign the operator out by linking to /step-up");
        assertEquals(200, get("/units").statusCode(), "still signed in");
    }

    @Test
    void aTenantGetsNoActionPageAndNoServiceIsAsked() throws Exception {
        String[] pages = {"/units", "/units/" + UNIT + "/turnover", "/turnovers/" + TURNOVER, "/approvals", "/lockdown",
                "/properties/" + PROPERTY + "/lockdown", "/credentials/" + PIN + "/revoke"};
        HttpResponse<String> first = signIn("tenant-1", pages[0], "tenant");
        assertEquals(403, first.statusCode());
        for (String page : pages) {
            HttpResponse<String> refused = get(page);
            assertEquals(403, refused.statusCode(), page);
            assertTrue(refused.body().contains("<h1>Not an operator</h1>"), page);
        }
        for (String route : new String[] {"/credentials/" + PIN + "/revoke", "/units/" + UNIT + "/turnover", "/approvals/" + ATTEMPT + "/approve",
                "/properties/" + PROPERTY + "/lockdown"}) {
            assertEquals(403, post(route, Map.of("csrf", "x", "reason", "x")).statusCode(), route);
        }
        assertTrue(TestProvider.REGISTRY_REQUESTS.isEmpty(), "a tenant's token never reaches the registry through the console");
        assertTrue(ActionPeers.COMMAND_REQUESTS.isEmpty() && ActionPeers.POLICY_REQUESTS.isEmpty());
    }

    private List<String[]> registryPosts() {
        return TestProvider.REGISTRY_REQUESTS.stream().filter(r -> !r[0].equals("GET")).toList();
    }

    private static String token(HttpResponse<String> page) {
        Matcher m = FORM_TOKEN.matcher(page.body());
        assertTrue(m.find(), "the page has a form token: " + page.body());
        assertNotNull(m.group(1));
        return m.group(1);
    }

    private HttpClient newBrowser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private HttpResponse<String> signIn(String subject, String path, String... roles) throws Exception {
        TestProvider.nextLogin(subject, TestProvider.ORG, roles);
        URI next = console.resolve(path);
        HttpResponse<String> response = get(next);
        for (int hops = 0; response.statusCode() == 302 || response.statusCode() == 303; hops++) {
            assertTrue(hops < 6, "too many redirects");
            next = next.resolve(response.headers().firstValue("Location").orElseThrow());
            response = get(next);
        }
        assertEquals(console.resolve(path), next, "back at the page asked for");
        return response;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return get(console.resolve(path));
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).reduce((a, b) -> a + "&" + b).orElse("");
        return browser.send(HttpRequest.newBuilder(console.resolve(path)).header("Accept", "text/html")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String credential(String id, String label, String holder, String door, String state, Long pendingSeconds) {
        return """
                {"id":"%s","doorId":"%s","lockId":"%s","unitId":null,"label":"%s","type":"PIN","usage":"permanent","holderSubjectId":"%s",
                 "state":"%s","pendingSeconds":%s}""".formatted(id, door, UNIT_LOCK, label, holder, state,
                pendingSeconds == null ? "null" : pendingSeconds.toString());
    }

    private static String report(boolean complete) {
        return """
                {"id":"%s","unitId":"%s","requestedAt":"2026-12-03T10:00:00Z","requestedBy":"ops-3","previousTenantSubjectIds":["tenant-7"],
                 "credentialsConfirmed":%d,"credentialsPending":%d,"oldestPendingSeconds":%s,
                 "credentials":[%s,%s],"grantsRevoked":["g-1"],"grantsError":null,"complete":%s}"""
                .formatted(TURNOVER, UNIT, complete ? 2 : 1, complete ? 0 : 1, complete ? "null" : "130",
                        credential(PIN, "Alex's PIN", "tenant-7", UNIT_DOOR, "revoked", null),
                        credential(LOBBY_PIN, "Alex's lobby PIN", "tenant-7", LOBBY, complete ? "revoked" : "revoke_pending", complete ? null : 130L),
                        complete);
    }

    private static String attempt(String status) {
        return """
                {"id":"%s","organizationId":"%s","doorId":"%s","action":"unlock","status":"%s","reasons":%s,
                 "requester":{"type":"user","id":"tenant-7"},"createdAt":"2026-12-03T10:00:00Z"%s}"""
                .formatted(ATTEMPT, TestProvider.ORG, UNIT_DOOR, status, "denied".equals(status) ? "[\"LOCKDOWN\"]" : "[]",
                        "pending_approval".equals(status) ? ",\"approval\":{\"eligibleRole\":\"operator\",\"expiresAt\":\"2026-12-03T10:10:00Z\"}" : "");
    }

    private static String property(boolean lockedDown) {
        return lockedDown
                ? "{\"id\":\"" + PROPERTY + "\",\"name\":\"Harbor Lofts\",\"lockdownSince\":\"2026-12-03T10:00:00Z\",\"lockdownReason\":\"gas leak\",\"lockdownBy\":\"ops-5\"}"
                : "{\"id\":\"" + PROPERTY + "\",\"name\":\"Harbor Lofts\",\"lockdownSince\":null,\"lockdownReason\":null,\"lockdownBy\":null}";
    }
}
