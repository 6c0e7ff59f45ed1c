package dev.portcullis.console.views;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.console.TestProvider;
import dev.portcullis.console.views.AuditPolicyStandIn.Answer;
import dev.portcullis.console.views.AuditPolicyStandIn.Call;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The operator read views over real HTTP, signed in through the code flow with PKCE ({@link TestProvider}), with
 * loopback stand-ins for audit-service and policy-service ({@link AuditPolicyStandIn}): who gets them, that every
 * call carries the operator's own token, the alert form's CSRF token, the CSV download, and that an export is offered
 * only when the audit-verifier library verified it against the pinned tree-head key.
 */
@QuarkusTest
@QuarkusTestResource(value = TestProvider.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = AuditPolicyStandIn.class, restrictToAnnotatedClass = true)
class ConsoleViewsTest {

    static final String PROPERTY = "2a4e8c61-5b7d-4f0e-8a3c-9d2f1e6b4c02";
    static final String FRONT = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a10";
    static final String UNIT = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a20";
    static final String UNIT_LOCK = "9c1e4b7a-2f3d-4a5b-8c6d-7e9f0a1b2c21";
    static final String OPEN_ALERT = "a0000000-0000-4000-8000-000000000001";
    static final String OLD_ALERT = "a0000000-0000-4000-8000-000000000002";
    static final String DONE_ALERT = "a0000000-0000-4000-8000-000000000003";
    static final String ORG_PATH = "/admin/v1/organizations/" + TestProvider.ORG;

    @TestHTTPResource("/")
    URI console;

    HttpClient browser;

    @BeforeEach
    void freshBrowserAndServices() {
        browser = newBrowser();
        TestProvider.registryStatus = 200;
        TestProvider.REGISTRY_CALLS.clear();
        TestProvider.REGISTRY.clear();
        TestProvider.REGISTRY.put("doors", "[{\"id\":\"%s\",\"propertyId\":\"%s\",\"name\":\"Front entrance\"},{\"id\":\"%s\",\"propertyId\":\"%s\",\"name\":\"Unit 4B\",\"lockId\":\"%s\"}]"
                .formatted(FRONT, PROPERTY, UNIT, PROPERTY, UNIT_LOCK));
        AuditPolicyStandIn.CALLS.clear();
        AuditPolicyStandIn.ANSWERS.clear();
        json("GET /v1/audit", """
                {"entries":[
                 {"sequence":12,"type":"unlock_acknowledged","occurredAt":"2026-12-03T10:00:02Z","actor":{"type":"user","id":"tenant-alex"},
                  "doorId":"%1$s","lockId":"%2$s","outcome":"succeeded","reasons":[]},
                 {"sequence":11,"type":"unlock_decided","occurredAt":"2026-12-03T10:00:01Z","actor":{"type":"user","id":"tenant-alex"},
                  "doorId":"%1$s","outcome":"permitted","reasons":["grant_matched"]},
                 {"sequence":9,"type":"unlock_decided","occurredAt":"2026-12-03T09:00:00Z","actor":{"type":"user","id":"<script>x</script>"},
                  "doorId":"%3$s","outcome":"denied","reasons":["no_grant"]}],"nextCursor":null}""".formatted(UNIT, UNIT_LOCK, FRONT));
        Instant now = Instant.now();
        json("GET /v1/alerts", """
                [{"id":"%s","kind":"low_battery","severity":"low","doorId":"%s","lockId":"%s","raisedAt":"%s"},
                 {"id":"%s","kind":"tamper","severity":"critical","doorId":"%s","lockId":"%s","raisedAt":"%s",
                  "acknowledgement":{"acknowledgedBy":"ops-0","acknowledgedAt":"%s","note":"checked","auditSequence":40}},
                 {"id":"%s","kind":"tamper","severity":"critical","doorId":"%s","lockId":"%s","raisedAt":"%s"}]"""
                .formatted(OLD_ALERT, UNIT, UNIT_LOCK, now.minusSeconds(2 * 3600 + 300), DONE_ALERT, UNIT, UNIT_LOCK, now.minusSeconds(60),
                        now.minusSeconds(30), OPEN_ALERT, UNIT, UNIT_LOCK, now.minusSeconds(90)));
        AuditPolicyStandIn.Export export = AuditPolicyStandIn.export(5, AuditPolicyStandIn.key);
        AuditPolicyStandIn.ANSWERS.put("GET /v1/audit/export", new Answer(200, "application/x-ndjson", export.jsonLines()));
        json("GET /v1/audit/tree-heads/latest", export.treeHead());
        json("GET " + ORG_PATH + "/review/doors/" + UNIT + "/access json", """
                {"doorId":"%s","door":"Unit 4B","propertyId":"%s","zone":"America/New_York","from":"2026-12-03T00:00:00Z","to":"2026-12-10T00:00:00Z",
                 "subjects":[{"subjectId":"tenant-alex","intervals":[{"start":"2026-12-03T00:00:00Z","end":"2026-12-10T00:00:00Z"}],
                   "grants":[{"grantId":"g1","via":"subject","target":"tenant-alex","schedule":"always","intervals":[]}],
                   "emergencyRole":false,"blockedByLockdown":false}]}""".formatted(UNIT, PROPERTY));
        AuditPolicyStandIn.ANSWERS.put("GET " + ORG_PATH + "/review/doors/" + UNIT + "/access csv", new Answer(200, "text/csv",
                "subject,start,end,grants,emergency_role,blocked_by_lockdown\n\"tenant-alex\",2026-12-03T00:00:00Z,2026-12-10T00:00:00Z,g1,false,false\n"
                        + "\"=HYPERLINK(\"\"http://evil.example\"\")\",2026-12-03T00:00:00Z,2026-12-04T00:00:00Z,g2,false,false\n"));
    }

    @Test
    void nobodySignedInIsSentToSignInAndNoServiceIsAsked() throws Exception {
        for (String page : List.of("/events", "/alerts", "/audit", "/doors/" + UNIT + "/access", "/doors/" + UNIT + "/access.csv",
                "/audit/export.jsonl?from=1&to=5")) {
            HttpResponse<String> response = get(console.resolve(page));
            assertEquals(302, response.statusCode(), page);
            assertTrue(response.headers().firstValue("Location").orElseThrow().contains("/authorize?"), page);
        }
        assertTrue(AuditPolicyStandIn.CALLS.isEmpty());
    }

    @Test
    void aTenantGetsNotAnOperatorOnEveryViewAndNoServiceIsAsked() throws Exception {
        signIn("tenant-views", "/events", "tenant");
        for (String page : List.of("/events", "/alerts", "/audit", "/audit?verify=1", "/doors/" + UNIT + "/access",
                "/doors/" + UNIT + "/access.csv", "/audit/export.jsonl?from=1&to=5")) {
            HttpResponse<String> response = get(console.resolve(page));
            assertEquals(403, response.statusCode(), page);
            assertTrue(response.body().contains("<h1>Not an operator</h1>"), page);
        }
        HttpResponse<String> post = post("/alerts", "alert=" + OPEN_ALERT + "&csrf=anything");
        assertEquals(403, post.statusCode());
        assertTrue(AuditPolicyStandIn.CALLS.isEmpty(), "a tenant's token never reaches audit- or policy-service through the console");
        assertTrue(TestProvider.REGISTRY_CALLS.isEmpty());
    }

    @Test
    void theEventFeedShowsTheNewestEntriesWithLinksAndRefreshesItself() throws Exception {
        HttpResponse<String> page = signIn("ops-feed", "/events", "operator");
        assertEquals(200, page.statusCode(), page.body());
        String html = page.body();
        assertTrue(html.contains("<meta http-equiv=\"refresh\" content=\"10\">"), "auto-refresh");
        assertFalse(html.contains("<script"), "no script, not even an actor id that looks like one");
        assertTrue(html.indexOf("data-sequence=\"12\"") < html.indexOf("data-sequence=\"11\""), "newest first");
        assertTrue(html.contains("<a href=\"/events?doorId=" + UNIT + "\">Unit 4B</a>"), "a link per door, with its name");
        assertTrue(html.contains("<a href=\"/locks/" + UNIT_LOCK + "\">"), "a link per lock");
        assertTrue(html.contains("unlock acknowledged") && html.contains("tenant-alex"));
        Call call = AuditPolicyStandIn.calls("/v1/audit").get(0);
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("ops-feed"), call.authorization(), "the operator's own token");
        assertEquals("/v1/audit?limit=50", call.path());

        HttpResponse<String> oneDoor = get(console.resolve("/events?doorId=" + UNIT));
        assertEquals(200, oneDoor.statusCode());
        assertTrue(oneDoor.body().contains("<h1>Events at Unit 4B</h1>"));
        assertTrue(oneDoor.body().contains("<a href=\"/doors/" + UNIT + "/access\">"), "to the door's access review");
        assertEquals("/v1/audit?limit=50&doorId=" + UNIT, AuditPolicyStandIn.calls("/v1/audit").get(1).path());
        assertEquals(404, get(console.resolve("/events?doorId=not-a-door")).statusCode());
    }

    @Test
    void alertsListOpenOnesFirstAndAcknowledgeOnlyWithThisSignInsFormToken() throws Exception {
        HttpResponse<String> page = signIn("ops-alerts", "/alerts", "operator");
        assertEquals(200, page.statusCode(), page.body());
        String html = page.body();
        assertTrue(html.indexOf(OPEN_ALERT) < html.indexOf(OLD_ALERT) && html.indexOf(OLD_ALERT) < html.indexOf(DONE_ALERT),
                "open alerts first (newest first), then acknowledged ones");
        assertTrue(html.contains("2 open"));
        String done = row(html, "data-alert-id=\"" + DONE_ALERT + "\"");
        assertTrue(done.contains("acknowledged</span> by ops-0") && !done.contains("<form"), "acknowledged: who, no button");
        String old = row(html, "data-alert-id=\"" + OLD_ALERT + "\"");
        assertTrue(old.contains("2 h 5 min") && old.contains("severity-low") && old.contains("Unit 4B"), old);
        assertTrue(row(html, "data-alert-id=\"" + OPEN_ALERT + "\"").contains("severity-critical"));
        String token = hidden(html, "csrf");

        // Without the token, or with another sign-in's, nothing reaches audit-service.
        HttpResponse<String> forged = post("/alerts", "alert=" + OPEN_ALERT + "&note=forged");
        assertEquals(403, forged.statusCode(), forged.body());
        assertTrue(forged.body().contains("Form not accepted"));
        HttpClient mine = browser;
        browser = newBrowser();
        String otherToken = hidden(signIn("ops-other", "/alerts", "operator").body(), "csrf");
        browser = mine;
        assertEquals(403, post("/alerts", "alert=" + OPEN_ALERT + "&csrf=" + otherToken).statusCode(), "another sign-in's token");
        assertTrue(AuditPolicyStandIn.CALLS.stream().noneMatch(call -> call.method().equals("POST")), "no acknowledgement was sent");

        json("POST /v1/alerts/" + OPEN_ALERT + "/acknowledgement", "{\"acknowledgedBy\":\"ops-alerts\",\"auditSequence\":41}");
        AuditPolicyStandIn.ANSWERS.put("POST /v1/alerts/" + OPEN_ALERT + "/acknowledgement", new Answer(201, "application/json",
                "{\"acknowledgedBy\":\"ops-alerts\",\"auditSequence\":41}"));
        HttpResponse<String> acknowledged = post("/alerts", "alert=" + OPEN_ALERT + "&note=" + URLEncoder.encode("on site", StandardCharsets.UTF_8)
                + "&csrf=" + token);
        assertEquals(303, acknowledged.statusCode(), acknowledged.body());
        assertEquals(console.resolve("/alerts?acknowledged=" + OPEN_ALERT), console.resolve(acknowledged.headers().firstValue("Location").orElseThrow()));
        Call sent = AuditPolicyStandIn.CALLS.stream().filter(call -> call.method().equals("POST")).findFirst().orElseThrow();
        assertEquals("/v1/alerts/" + OPEN_ALERT + "/acknowledgement", sent.path());
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("ops-alerts"), sent.authorization());
        assertEquals("{\"note\":\"on site\"}", sent.body());
        assertTrue(get(console.resolve("/alerts?acknowledged=" + OPEN_ALERT)).body().contains("Alert acknowledged"));

        AuditPolicyStandIn.ANSWERS.put("POST /v1/alerts/" + OLD_ALERT + "/acknowledgement", new Answer(409, "application/problem+json",
                "{\"title\":\"Conflict\",\"status\":409,\"detail\":\"The alert was acknowledged already\"}"));
        HttpResponse<String> twice = post("/alerts", "alert=" + OLD_ALERT + "&csrf=" + token);
        assertEquals(303, twice.statusCode());
        assertEquals(console.resolve("/alerts?already=" + OLD_ALERT), console.resolve(twice.headers().firstValue("Location").orElseThrow()));
    }

    @Test
    void theAccessReviewShowsWhoCanOpenTheDoorAndTheCsvIsAFormulaSafeAttachment() throws Exception {
        HttpResponse<String> page = signIn("ops-review", "/doors/" + UNIT + "/access", "operator");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("<h1>Who can open Unit 4B</h1>"));
        assertTrue(page.body().contains("<tr data-subject=\"tenant-alex\">"));
        assertTrue(page.body().contains("subject: tenant-alex (always)"));
        Call review = AuditPolicyStandIn.calls(ORG_PATH).get(0);
        assertEquals(ORG_PATH + "/review/doors/" + UNIT + "/access", review.path(), "policy's defaults: from now, 7 days");
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("ops-review"), review.authorization());

        HttpResponse<String> ranged = get(console.resolve("/doors/" + UNIT + "/access?from=2026-12-01&to=2026-12-14"));
        assertEquals(200, ranged.statusCode());
        assertEquals(ORG_PATH + "/review/doors/" + UNIT + "/access?from=2026-12-01T00%3A00%3A00Z&to=2026-12-15T00%3A00%3A00Z",
                AuditPolicyStandIn.calls(ORG_PATH).get(1).path(), "the days asked for, the last one included");
        assertTrue(ranged.body().contains("href=\"/doors/" + UNIT + "/access.csv?from=2026-12-01&amp;to=2026-12-14\""));

        HttpResponse<String> csv = get(console.resolve("/doors/" + UNIT + "/access.csv?from=2026-12-01&to=2026-12-14"));
        assertEquals(200, csv.statusCode(), csv.body());
        assertEquals("text/csv;charset=utf-8", csv.headers().firstValue("Content-Type").orElseThrow().replace(" ", "").toLowerCase());
        assertEquals("attachment; filename=\"door-" + UNIT + "-access.csv\"", csv.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("text/csv", AuditPolicyStandIn.calls(ORG_PATH).get(2).accept(), "policy's own CSV");
        List<String> lines = csv.body().lines().toList();
        assertEquals("\"subject\",\"start\",\"end\",\"grants\",\"emergency_role\",\"blocked_by_lockdown\"", lines.get(0));
        assertTrue(lines.get(1).startsWith("\"tenant-alex\",\"2026-12-03T00:00:00Z\""), lines.get(1));
        assertTrue(lines.get(2).startsWith("\"'=HYPERLINK(\"\"http://evil.example\"\")\","), "a formula is defused: " + lines.get(2));

        assertEquals(404, get(console.resolve("/doors/not-a-door/access")).statusCode());
        HttpResponse<String> badDay = get(console.resolve("/doors/" + UNIT + "/access?from=yesterday"));
        assertEquals(400, badDay.statusCode());
        assertTrue(badDay.body().contains("from must be a day such as 2026-12-03"));
    }

    @Test
    void anAuditSearchPassesItsFiltersAndAVerifiedExportIsOfferedWithItsTreeSize() throws Exception {
        HttpResponse<String> page = signIn("ops-audit", "/audit?doorId=" + UNIT + "&lockId=" + UNIT_LOCK + "&from=2026-12-01&to=2026-12-03",
                "operator");
        assertEquals(200, page.statusCode(), page.body());
        assertEquals("/v1/audit?doorId=" + UNIT + "&lockId=" + UNIT_LOCK + "&from=2026-12-01T00%3A00%3A00Z&to=2026-12-04T00%3A00%3A00Z&limit=100",
                AuditPolicyStandIn.calls("/v1/audit").get(0).path());
        assertTrue(page.body().contains("Export (verified)"));
        assertTrue(AuditPolicyStandIn.calls("/v1/audit/export").isEmpty(), "nothing exported until asked");

        HttpResponse<String> verified = get(console.resolve("/audit?doorId=" + UNIT + "&verify=1"));
        assertEquals(200, verified.statusCode(), verified.body());
        assertTrue(verified.body().contains("verified</span> up to tree size 5"), verified.body());
        assertTrue(verified.body().contains("key pinned"));
        Call exported = AuditPolicyStandIn.calls("/v1/audit/export").get(0);
        assertEquals("/v1/audit/export?doorId=" + UNIT + "&from=9&to=12&format=jsonl", exported.path(), "the results' range, same door");
        assertEquals("Bearer " + TestProvider.lastAccessTokenOf("ops-audit"), exported.authorization());
        assertTrue(verified.body().contains("href=\"/audit/export.jsonl?doorId=" + UNIT + "&amp;from=9&amp;to=12\""));

        HttpResponse<String> download = get(console.resolve("/audit/export.jsonl?doorId=" + UNIT + "&from=9&to=12"));
        assertEquals(200, download.statusCode(), download.body());
        assertEquals("5", download.headers().firstValue("Portcullis-Verified-Tree-Size").orElseThrow());
        assertTrue(download.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
        assertEquals(AuditPolicyStandIn.ANSWERS.get("GET /v1/audit/export").body(), download.body(), "exactly what was verified");

        HttpResponse<String> badDay = get(console.resolve("/audit?from=03.12.2026"));
        assertEquals(400, badDay.statusCode());
        assertTrue(badDay.body().contains("from must be a day"));
    }

    @Test
    void aTamperedExportIsNotOfferedAndTheVerifiersFindingIsShown() throws Exception {
        String good = AuditPolicyStandIn.ANSWERS.get("GET /v1/audit/export").body();
        // Entry 3's envelope changed after the fact (its hash and proof left as they were).
        String tampered = good.replace(java.util.Base64.getEncoder().encodeToString("envelope 3".getBytes(StandardCharsets.UTF_8)),
                java.util.Base64.getEncoder().encodeToString("envelope X".getBytes(StandardCharsets.UTF_8)));
        assertFalse(tampered.equals(good));
        AuditPolicyStandIn.ANSWERS.put("GET /v1/audit/export", new Answer(200, "application/x-ndjson", tampered));
        HttpResponse<String> page = signIn("ops-tamper", "/audit?verify=1", "operator");
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("NOT VERIFIED</span> HASH_MISMATCH at line 4 (entry 3)"), page.body());
        assertFalse(page.body().contains("/audit/export.jsonl"), "no download offered");
        HttpResponse<String> download = get(console.resolve("/audit/export.jsonl?from=1&to=5"));
        assertEquals(502, download.statusCode());
        assertTrue(download.body().contains("<h1>Export not verified</h1>") && download.body().contains("HASH_MISMATCH"));
        assertFalse(download.body().contains("envelope X"));
    }

    @Test
    void anExportSignedWithAnotherKeyThanThePinnedOneIsNotVerified() throws Exception {
        AuditPolicyStandIn.Export forged = AuditPolicyStandIn.export(5, AuditPolicyStandIn.otherKey);
        AuditPolicyStandIn.ANSWERS.put("GET /v1/audit/export", new Answer(200, "application/x-ndjson", forged.jsonLines()));
        json("GET /v1/audit/tree-heads/latest", forged.treeHead());
        // audit-service (or whoever answers in its place) publishing the other key changes nothing: the key is pinned.
        json("GET /v1/audit/tree-heads/key", "{\"publicKey\":\"" + dev.portcullis.audit.proof.TreeHeadKeys
                .publicKeyPem(AuditPolicyStandIn.otherKey.getPublic()).replace("\n", "\\n") + "\"}");
        HttpResponse<String> page = signIn("ops-key", "/audit?verify=1", "operator");
        assertTrue(page.body().contains("NOT VERIFIED</span> TREE_HEAD_SIGNATURE"), page.body());
    }

    @Test
    void aLatestTreeHeadThatDisagreesWithTheExportIsNotVerified() throws Exception {
        // The export verifies on its own, but the latest signed head of the same size has another root: a forked log.
        String forkedHead = exportHead().replaceAll("\"rootHash\":\"[0-9a-f]+\"", "\"rootHash\":\"" + "ab".repeat(32) + "\"");
        json("GET /v1/audit/tree-heads/latest", resign(forkedHead));
        HttpResponse<String> page = signIn("ops-fork", "/audit?verify=1", "operator");
        assertTrue(page.body().contains("NOT VERIFIED</span> TREE_HEAD_MISMATCH"), page.body());
    }

    @Test
    void auditServiceDownIsAPageNotAStackTrace() throws Exception {
        AuditPolicyStandIn.ANSWERS.put("GET /v1/alerts", new Answer(500, "text/plain", "boom at dev.portcullis.Secret"));
        HttpResponse<String> page = signIn("ops-down", "/alerts", "operator");
        assertEquals(502, page.statusCode());
        assertTrue(page.body().contains("<h1>Audit service unavailable</h1>"));
        assertFalse(page.body().contains("boom") || page.body().contains("answered 500"));
    }

    private static String exportHead() {
        return AuditPolicyStandIn.ANSWERS.get("GET /v1/audit/export").body().lines().findFirst().orElseThrow();
    }

    /** The head with its signature made anew (with the pinned key) over its (changed) root. */
    private static String resign(String head) {
        Matcher size = Pattern.compile("\"treeSize\":(\\d+)").matcher(head);
        Matcher root = Pattern.compile("\"rootHash\":\"([0-9a-f]+)\"").matcher(head);
        Matcher millis = Pattern.compile("\"timestampMillis\":(\\d+)").matcher(head);
        assertTrue(size.find() && root.find() && millis.find());
        byte[] signature = dev.portcullis.audit.proof.TreeHeadKeys.sign(AuditPolicyStandIn.key.getPrivate(),
                dev.portcullis.audit.proof.TreeHead.signedBytes(Long.parseLong(size.group(1)), java.util.HexFormat.of().parseHex(root.group(1)),
                        Long.parseLong(millis.group(1))));
        return head.replaceAll("\"signature\":\"[^\"]+\"", "\"signature\":\"" + java.util.Base64.getEncoder().encodeToString(signature) + "\"");
    }

    private static void json(String route, String body) {
        AuditPolicyStandIn.ANSWERS.put(route, new Answer(200, "application/json", body));
    }

    private static HttpClient newBrowser() {
        return HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** Visits {@code path}, follows the code flow through the provider as the given person, returns the final page. */
    private HttpResponse<String> signIn(String subject, String path, String... roles) throws Exception {
        TestProvider.nextLogin(subject, TestProvider.ORG, roles);
        URI next = console.resolve(path);
        HttpResponse<String> response = get(next);
        for (int hops = 0; response.statusCode() == 302 || response.statusCode() == 303; hops++) {
            assertTrue(hops < 6, "too many redirects");
            next = next.resolve(response.headers().firstValue("Location").orElseThrow());
            response = get(next);
        }
        return response;
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return browser.send(HttpRequest.newBuilder(console.resolve(path)).header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "text/html").POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String row(String html, String marker) {
        int start = html.indexOf(marker);
        assertTrue(start >= 0, marker);
        return html.substring(start, html.indexOf("</tr>", start));
    }

    private static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "a hidden " + name + " field");
        return m.group(1);
    }
}
