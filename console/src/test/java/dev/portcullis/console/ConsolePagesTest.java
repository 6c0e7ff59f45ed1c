package dev.portcullis.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's pages over real HTTP, signed in through the authorization-code flow with PKCE (against
 * {@link TestProvider}): who gets which page, that the registry is asked with the signed-in operator's own
 * token, and how the portfolio and a lock's credentials are shown.
 */
@QuarkusTest
@QuarkusTestResource(value = TestProvider.class, restrictToAnnotatedClass = true)
class ConsolePagesTest {

    static final String PROPERTY = "2a4e8c61-5b7d-4f0e-8a3c-9d2f1e6b4c02";
    static final String FRONT = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a10";
    static final String UNIT = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a20";
    static final String ROOF = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a30";
    static final String FRONT_LOCK = "9c1e4b7a-2f3d-4a5b-8c6d-7e9f0a1b2c11";
    static final String UNIT_LOCK = "9c1e4b7a-2f3d-4a5b-8c6d-7e9f0a1b2c21";
    static final String ROOF_LOCK = "9c1e4b7a-2f3d-4a5b-8c6d-7e9f0a1b2c31";

    @TestHTTPResource("/")
    URI console;

    HttpClient browser;

    @BeforeEach
    void freshBrowserAndRegistry() {
        browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
        TestProvider.registryStatus = 200;
        TestProvider.REGISTRY_CALLS.clear();
        TestProvider.REGISTRY.clear();
        TestProvider.REGISTRY.putAll(Map.of(
                "properties", "[{\"id\":\"" + PROPERTY + "\",\"name\":\"Harbor Lofts\",\"timeZone\":\"America/New_York\"}]",
                "doors", "[" + door(ROOF, "Rooftop terrace", ROOF_LOCK) + "," + door(FRONT, "Front entrance", FRONT_LOCK) + ","
                        + door(UNIT, "Unit 4B", UNIT_LOCK) + "]",
                "locks", "[" + lock(FRONT_LOCK, "AC-1", true, 90, false, "SUPPORTED") + "," + lock(UNIT_LOCK, "AC-2", false, 55, false, "SUPPORTED")
                        + "," + lock(ROOF_LOCK, "AC-3", true, 12, true, "ENDING_SOON") + "]",
                "locks/" + FRONT_LOCK, lock(FRONT_LOCK, "AC-1", true, 90, false, "SUPPORTED"),
                "locks/" + FRONT_LOCK + "/credentials", """
                        {"lockId":"%s","live":[%s],"pendingIssues":[],"pendingRevocations":[%s],
                         "drift":[{"credentialId":"c0000000-0000-0000-0000-000000000009","kind":"UNKNOWN_ON_LOCK","detectedAt":"2026-12-03T10:00:00Z"}]}"""
                        .formatted(FRONT_LOCK, credential("c0000000-0000-0000-0000-000000000001", "Alex's PIN", "active", null),
                                credential("c0000000-0000-0000-0000-000000000002", "Old cleaner card", "revoke_pending", 11_100L))));
    }

    @Test
    void nobodySignedInIsSentToTheProviderWithPkce() throws Exception {
        for (String page : new String[] {"portfolio", "locks/" + FRONT_LOCK, ""}) {
            HttpResponse<String> response = get(console.resolve("/" + page));
            assertEquals(302, response.statusCode(), page);
            String location = response.headers().firstValue("Location").orElseThrow();
            assertTrue(location.contains("/authorize?"), location);
            assertTrue(location.contains("code_challenge_method=S256") && location.contains("code_challenge="), location);
            assertTrue(location.contains("client_id=portcullis-console"), location);
            assertTrue(location.contains("redirect_uri=" + java.net.URLEncoder.encode(console.resolve("/callback").toString(), "UTF-8")),
                    location);
        }
        assertTrue(TestProvider.REGISTRY_CALLS.isEmpty(), "nothing is asked of the registry before sign-in");
        assertEquals(200, get(console.resolve("/console.css")).statusCode(), "the style sheet is public");
    }

    @Test
    void theOperatorSeesThePortfolioWithOfflineAndTamperedLocksFlagged() throws Exception {
        HttpResponse<String> page = signIn("ops-1", "/portfolio", "operator");
        assertEquals(200, page.statusCode(), page.body());
        String html = page.body();
        assertTrue(html.contains("<html lang=\"en\">"));
        assertFalse(html.contains("<script"), "no JavaScript");
        assertTrue(html.contains("<h2 id=\"property-" + PROPERTY + "\">Harbor Lofts</h2>"));
        assertTrue(html.indexOf("Front entrance") < html.indexOf("Rooftop terrace") && html.indexOf("Rooftop terrace") < html.indexOf("Unit 4B"),
                "doors sorted by name");
        assertEquals("online", flags(row(html, FRONT)));
        assertEquals("offline", flags(row(html, UNIT)));
        assertEquals("online tampered", flags(row(html, ROOF)));
        assertTrue(row(html, ROOF).contains("12 % (low)"), "low battery called out in words");
        assertTrue(row(html, ROOF).contains("ending soon"));
        assertTrue(row(html, UNIT).contains("class=\"attention\""), "rows needing attention are marked");
        assertFalse(row(html, FRONT).contains("class=\"attention\""));
        assertTrue(html.contains("1 offline") && html.contains("1 tampered"));

        String token = TestProvider.lastAccessTokenOf("ops-1");
        assertNotNull(token);
        assertEquals(3, TestProvider.REGISTRY_CALLS.size());
        for (String[] call : TestProvider.REGISTRY_CALLS) {
            assertEquals("Bearer " + token, call[0], "the registry is asked with the operator's own access token");
            assertTrue(call[1].startsWith("/admin/v1/organizations/" + TestProvider.ORG + "/"), "the token's organization: " + call[1]);
        }
    }

    @Test
    void aLockPageHighlightsRevocationsTheLockHasNotConfirmedWithTheirAge() throws Exception {
        HttpResponse<String> page = signIn("ops-2", "/locks/" + FRONT_LOCK, "operator");
        assertEquals(200, page.statusCode(), page.body());
        String html = page.body();
        assertTrue(html.contains("<h1>Lock AC-1</h1>"));
        String revocations = html.substring(html.indexOf("id=\"revocations\""), html.indexOf("id=\"issues\""));
        assertTrue(revocations.contains("Old cleaner card"));
        assertTrue(revocations.contains("<span class=\"flag flag-pending\">revoke pending</span>"));
        assertTrue(revocations.contains("<td>3 h 5 min</td>"), "its age");
        assertTrue(revocations.contains("may still open"), "what pending means, in words");
        String live = html.substring(html.indexOf("id=\"live\""), html.indexOf("id=\"drift\""));
        assertTrue(live.contains("Alex&#39;s PIN") || live.contains("Alex's PIN"), live);
        assertFalse(live.contains("Old cleaner card"));
        assertTrue(html.contains("UNKNOWN_ON_LOCK"), "drift findings shown");
    }

    @Test
    void aTenantGetsNoOperatorPageAndTheRegistryIsNotAsked() throws Exception {
        for (String path : new String[] {"/portfolio", "/locks/" + FRONT_LOCK}) {
            browser = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                    .followRedirects(HttpClient.Redirect.NEVER).build();
            HttpResponse<String> page = signIn("tenant-1", path, "tenant");
            assertEquals(403, page.statusCode(), page.body());
            assertTrue(page.body().contains("<h1>Not an operator</h1>"));
            assertFalse(page.body().contains("Harbor Lofts"));
            assertFalse(page.body().contains("Exception") || page.body().contains("at dev.portcullis"), "no stack trace");
        }
        assertTrue(TestProvider.REGISTRY_CALLS.isEmpty(), "a tenant's token never reaches the registry through the console");
    }

    @Test
    void anOperatorOfAnotherOrganizationIsRefusedByTheRegistryAndSeesNothing() throws Exception {
        TestProvider.registryStatus = 403;
        HttpResponse<String> page = signIn("ops-3", "/portfolio", "operator");
        assertEquals(403, page.statusCode(), page.body());
        assertTrue(page.body().contains("<h1>Not an operator</h1>"));
        assertFalse(page.body().contains("Harbor Lofts"));
    }

    @Test
    void unknownLocksAndARegistryFailureArePagesNotStackTraces() throws Exception {
        HttpResponse<String> page = signIn("ops-4", "/locks/not-a-uuid", "operator");
        assertEquals(404, page.statusCode(), page.body());
        assertTrue(page.body().contains("<h1>Not found</h1>"));
        HttpResponse<String> unknown = get(console.resolve("/locks/9c1e4b7a-2f3d-4a5b-8c6d-000000000000"));
        assertEquals(404, unknown.statusCode(), unknown.body());
        TestProvider.registryStatus = 500;
        HttpResponse<String> failing = get(console.resolve("/portfolio"));
        assertEquals(502, failing.statusCode(), failing.body());
        assertTrue(failing.body().contains("<h1>Registry unavailable</h1>"));
        assertFalse(failing.body().contains("answered 500"), "internal detail stays in the log");
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
        assertEquals(console.resolve(path), next, "back at the page asked for");
        return response;
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return browser.send(HttpRequest.newBuilder(uri).header("Accept", "text/html").GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String row(String html, String doorId) {
        int start = html.indexOf("<tr data-door-id=\"" + doorId + "\"");
        assertTrue(start >= 0, "a row for door " + doorId);
        return html.substring(start, html.indexOf("</tr>", start));
    }

    private static String flags(String row) {
        String health = row.substring(row.indexOf("<td class=\"health\">"), row.indexOf("</td>", row.indexOf("<td class=\"health\">")));
        return java.util.regex.Pattern.compile("<span class=\"flag [^\"]+\">([^<]+)</span>").matcher(health).results()
                .map(m -> m.group(1)).reduce((a, b) -> a + " " + b).orElse("");
    }

    private static String door(String id, String name, String lockId) {
        return "{\"id\":\"%s\",\"propertyId\":\"%s\",\"name\":\"%s\",\"lockId\":\"%s\"}".formatted(id, PROPERTY, name, lockId);
    }

    private static String lock(String id, String serial, boolean online, int battery, boolean tampered, String support) {
        return """
                {"id":"%s","doorId":null,"status":"ENROLLED","serialNumber":"%s","keyEpoch":1,
                 "support":{"status":"%s","endOfSupport":"2027-01-31"},"firmware":{"installedVersion":"2.3.7"},
                 "health":{"online":%s,"batteryPercent":%d,"tampered":%s,"lastSeenAt":"2026-12-03T10:00:00Z"}}"""
                .formatted(id, serial, support, online, battery, tampered);
    }

    private static String credential(String id, String label, String state, Long pendingSeconds) {
        return """
                {"id":"%s","label":"%s","type":"PIN","usage":"permanent","holderSubjectId":null,"state":"%s","pendingSeconds":%s}"""
                .formatted(id, label, state, pendingSeconds == null ? "null" : pendingSeconds.toString());
    }
}
