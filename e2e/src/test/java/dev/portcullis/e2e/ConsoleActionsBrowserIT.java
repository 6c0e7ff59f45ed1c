package dev.portcullis.e2e;

import static dev.portcullis.e2e.MeshHttp.get;
import static dev.portcullis.e2e.MeshHttp.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.OidcLogin;
import dev.portcullis.launcher.Totp;
import dev.portcullis.testkit.Postgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console's actions in headless Chromium over the running mesh: the demo operator (password +
 * TOTP) approves a tenant's two-person unlock — after a step-up, since the sign-in has grown older than
 * command-service accepts for approvers — and the simulated lock moves exactly once; runs a tenant turnover
 * of a unit whose lock is offline, sees the revocation pending on the self-refreshing report and then
 * confirmed once the lock is back; declares and lifts a property lockdown. Screenshots in target/screenshots/.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleActionsBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration APPROVER_MAX_AUTH_AGE = Duration.ofSeconds(30);
    /** The last TOTP time step each person used: identity-service accepts every step once (±1 step of drift). */
    private static final Map<String, Long> USED_STEPS = new ConcurrentHashMap<>();

    private static Mesh mesh;
    private static MeshLayout layout;
    private static DemoPortfolio demo;
    private static String operatorToken;
    private static String operatorSubject;
    private static String tenantToken;

    private Browsers.Browser browser;
    private ChromeDriver driver;

    @BeforeAll
    static void bringUpTheMesh() throws Exception {
        Browsers.assumeInstalled();
        Path root = Path.of(System.getProperty("portcullis.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("portcullis-e2e-console-actions-");
        layout = new MeshLayout(root, state, 29380, "e2ea_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        demo = DemoPortfolio.generate(new SecureRandom());
        // approvers must have proven their second factor within 30 s (5 min by default), so the test sees a step-up
        java.util.Properties config = new java.util.Properties();
        config.setProperty("portcullis.command.approver-max-auth-age", APPROVER_MAX_AUTH_AGE.getSeconds() + "s");
        mesh = Mesh.up(layout, demo, Postgres.server(), null, config);
        operatorToken = new OidcLogin(layout.issuer()).login(demo.operator().username(), demo.operator().password(),
                () -> totp(demo.operator())).getAccessToken().getValue();
        operatorSubject = claims(operatorToken).get("sub").asText();
        tenantToken = new OidcLogin(layout.issuer()).login(demo.tenant().username(), demo.tenant().password(),
                () -> totp(demo.tenant())).getAccessToken().getValue();
    }

    @AfterAll
    static void takeItDown() {
        if (mesh != null) {
            mesh.stop();
        }
    }

    @BeforeEach
    void startBrowser() {
        browser = Browsers.open(1280, 900);
        driver = browser.driver();
    }

    @AfterEach
    void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    @Order(1)
    void theOperatorApprovesATwoPersonUnlockAndTheLockMovesOnce() throws Exception {
        DemoPortfolio.Door front = demo.door("Front entrance");
        // policy: the operator may approve (role), and the door's tier needs a second person with that role
        HttpResponse<String> role = post(policy("/role-assignments"),
                JSON.createObjectNode().put("subjectId", operatorSubject).put("role", "operator").toString(), operatorToken);
        assertEquals(201, role.statusCode(), role.body());
        HttpResponse<String> tier = post(policy("/tiers"),
                JSON.createObjectNode().put("name", "Two-person").put("secondApproverRole", "operator").toString(), operatorToken);
        assertEquals(201, tier.statusCode(), tier.body());
        JsonNode door = json(get(policy("/doors/" + front.id()), operatorToken));
        ObjectNode placed = JSON.createObjectNode().put("propertyId", door.get("propertyId").asText()).put("name", door.get("name").asText())
                .put("tierId", json(tier).get("id").asText());
        HttpResponse<String> put = send("PUT", policy("/doors/" + front.id()), placed.toString(), operatorToken);
        assertEquals(200, put.statusCode(), put.body());

        HttpResponse<String> requested = unlock(front, tenantToken);
        assertEquals(202, requested.statusCode(), requested.body());
        JsonNode attempt = json(requested);
        assertEquals("pending_approval", attempt.get("status").asText());
        String attemptId = attempt.get("id").asText();
        int before = actuations(front);

        signIn(demo.operator());
        driver.get(layout.consoleUrl() + "/approvals");
        WebElement row = new WebDriverWait(driver, Duration.ofSeconds(15))
                .until(d -> d.findElements(By.cssSelector("tr[data-attempt-id='" + attemptId + "']")).stream().findFirst().orElse(null));
        assertEquals("Front entrance", row.findElement(By.tagName("th")).getText());
        assertEquals(before, actuations(front), "nothing moves before the approval");
        screenshot("console-approvals");

        // the sign-in is now older than command-service accepts for an approver: it asks for a step-up (RFC 9470)
        Thread.sleep(APPROVER_MAX_AUTH_AGE.plusSeconds(2).toMillis());
        row.findElement(By.cssSelector("button.approve")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "Sign in again to continue".equals(d.findElement(By.tagName("h1")).getText()));
        screenshot("console-step-up");
        assertEquals(before, actuations(front), "nothing moves before a fresh second factor");
        driver.findElement(By.id("step-up")).click();
        // identity-service still has this browser's session: only the console's max_age makes it ask again
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("password")).isEmpty());
        assertTrue(driver.getCurrentUrl().startsWith(layout.issuer().toString()), driver.getCurrentUrl());
        enterCredentials(demo.operator());
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().equals(layout.consoleUrl() + "/approvals"));
        row = driver.findElement(By.cssSelector("tr[data-attempt-id='" + attemptId + "']"));
        row.findElement(By.cssSelector("button.approve")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> "Unlocked".equals(d.findElement(By.tagName("h1")).getText()));
        assertTrue(driver.findElement(By.id("approval-outcome")).getText().contains("acknowledged"));
        screenshot("console-approval-done");
        assertEquals(before + 1, actuations(front), "the lock moved exactly once");
        assertEquals("succeeded", json(get(layout.commandUrl() + "/v1/action-attempts/" + attemptId, tenantToken)).get("status").asText());

        driver.get(layout.consoleUrl() + "/approvals");
        assertTrue(driver.findElements(By.cssSelector("tr[data-attempt-id='" + attemptId + "']")).isEmpty(), "no longer waiting");
        assertEquals(before + 1, actuations(front));
    }

    @Test
    @Order(2)
    void aTurnoverOfAUnitWithAnOfflineLockIsPendingUntilTheLockReturns() throws Exception {
        DemoPortfolio.Door unitDoor = demo.door("Unit 4B");
        HttpResponse<String> building = post(registry("/properties/" + demo.propertyId() + "/buildings"), "{\"name\":\"Tower A\"}", operatorToken);
        assertEquals(201, building.statusCode(), building.body());
        HttpResponse<String> unit = post(registry("/buildings/" + json(building).get("id").asText() + "/units"), "{\"name\":\"4B\"}", operatorToken);
        assertEquals(201, unit.statusCode(), unit.body());
        String unitId = json(unit).get("id").asText();
        // the previous tenant's PIN for the unit's door, issued for the unit
        ObjectNode pin = JSON.createObjectNode().put("type", "PIN").put("usage", "permanent").put("pin", "583920")
                .put("holderSubjectId", "former-tenant-4b").put("unitId", unitId).put("label", "Former tenant's PIN");
        HttpResponse<String> issued = post(registry("/doors/" + unitDoor.id() + "/credentials"), pin.toString(), operatorToken);
        assertEquals(201, issued.statusCode(), issued.body());
        String credentialId = json(issued).get("id").asText();
        awaitState(credentialId, "active");

        signIn(demo.operator());
        connection(unitDoor, false);
        try {
            driver.get(layout.consoleUrl() + "/units");
            WebElement row = new WebDriverWait(driver, Duration.ofSeconds(15))
                    .until(d -> d.findElements(By.cssSelector("tr[data-unit-id='" + unitId + "']")).stream().findFirst().orElse(null));
            row.findElement(By.tagName("a")).click();
            new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("review-turnover")).isEmpty());
            driver.findElement(By.id("reason")).sendKeys("lease ended");
            driver.findElement(By.id("review-turnover")).click();
            new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("confirm-turnover")).isEmpty());
            assertEquals("1 credential will be revoked", driver.findElement(By.id("will-revoke")).getText());
            assertEquals(1, driver.findElements(By.cssSelector("tr[data-credential-id='" + credentialId + "']")).size());
            screenshot("console-turnover-confirm");
            driver.findElement(By.id("confirm-turnover")).click();

            new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().contains("/turnovers/"));
            assertTrue(text(driver, "pending-count").startsWith("1"), "pending while the lock is offline: " + text(driver, "pending-count"));
            assertTrue(text(driver, "turnover-status").contains("in progress"));
            assertEquals(1, driver.findElements(By.cssSelector("meta[http-equiv='refresh']")).size(), "the report reloads itself");
            screenshot("console-turnover-pending");
        } finally {
            connection(unitDoor, true);
        }
        // no reload by the test: the page refreshes itself until the lock has confirmed
        new WebDriverWait(driver, Duration.ofSeconds(90)).until(d -> text(d, "turnover-status").contains("complete"));
        assertEquals("1", text(driver, "confirmed-count"));
        assertTrue(text(driver, "pending-count").startsWith("0"));
        assertTrue(driver.findElements(By.cssSelector("meta[http-equiv='refresh']")).isEmpty(), "stops reloading once complete");
        screenshot("console-turnover-complete");
        assertEquals(404, get(layout.simulatorUrl() + "/v1/locks/" + unitDoor.lockId() + "/credentials/" + credentialId, null).statusCode(),
                "the lock no longer holds the former tenant's PIN");
    }

    @Test
    @Order(3)
    void theOperatorDeclaresAndLiftsALockdownAfterConfirming() throws Exception {
        signIn(demo.operator());
        driver.get(layout.consoleUrl() + "/lockdown");
        WebElement row = driver.findElement(By.cssSelector("tr[data-property-id='" + demo.propertyId() + "']"));
        assertTrue(row.getText().contains("normal"), row.getText());
        row.findElement(By.tagName("a")).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("confirm-lockdown")).isEmpty());
        driver.findElement(By.id("reason")).sendKeys("fire drill");
        screenshot("console-lockdown-confirm");
        driver.findElement(By.id("confirm-lockdown")).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().endsWith("/lockdown"));
        WebElement locked = driver.findElement(By.cssSelector("tr[data-property-id='" + demo.propertyId() + "']"));
        assertTrue(locked.getText().contains("locked down") && locked.getText().contains("fire drill"), locked.getText());
        screenshot("console-lockdown");
        HttpResponse<String> denied = unlock(demo.door("Front entrance"), tenantToken);
        assertTrue(denied.statusCode() == 403 && denied.body().contains("LOCKDOWN"), denied.statusCode() + " " + denied.body());

        locked.findElement(By.tagName("a")).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("confirm-lift")).isEmpty());
        driver.findElement(By.id("confirm-lift")).click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().endsWith("/lockdown"));
        assertTrue(driver.findElement(By.cssSelector("tr[data-property-id='" + demo.propertyId() + "']")).getText().contains("normal"));
    }

    private void signIn(DemoPortfolio.Tenant person) {
        driver.get(layout.consoleUrl() + "/");
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("username")).isEmpty());
        enterCredentials(person);
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().equals(layout.consoleUrl() + "/portfolio"));
    }

    /** At identity-service's sign-in page: the username (when asked), password, then a TOTP code. */
    private void enterCredentials(DemoPortfolio.Tenant person) {
        List<WebElement> username = driver.findElements(By.id("username"));
        if (!username.isEmpty() && username.get(0).isDisplayed() && username.get(0).isEnabled()) {
            username.get(0).clear();
            username.get(0).sendKeys(person.username());
        }
        driver.findElement(By.id("password")).sendKeys(person.password());
        driver.findElement(By.id("password")).findElement(By.xpath("ancestor::form")).submit();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("code")).isEmpty());
        driver.findElement(By.id("code")).sendKeys(totp(person));
        driver.findElement(By.id("code")).findElement(By.xpath("ancestor::form")).submit();
    }

    /** A code of a time step this person has not used yet (the current one, else the next, waiting when needed). */
    private static synchronized String totp(DemoPortfolio.Tenant person) {
        long now = Instant.now().getEpochSecond() / 30;
        long step = Math.max(now, USED_STEPS.getOrDefault(person.username(), -1L) + 1);
        while (step > Instant.now().getEpochSecond() / 30 + 1) {
            sleep(1000);
        }
        USED_STEPS.put(person.username(), step);
        return Totp.code(person.totpSecret(), Instant.ofEpochSecond(step * 30));
    }

    private static String text(WebDriver driver, String id) {
        try {
            return driver.findElement(By.id(id)).getText();
        } catch (StaleElementReferenceException | org.openqa.selenium.NoSuchElementException e) {
            return "";
        }
    }

    private static HttpResponse<String> unlock(DemoPortfolio.Door door, String token) throws Exception {
        return MeshHttp.CLIENT.send(HttpRequest.newBuilder(URI.create(layout.commandUrl() + "/v1/doors/" + door.id() + "/unlock"))
                .timeout(Duration.ofSeconds(20)).header("Idempotency-Key", UUID.randomUUID().toString())
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> send(String method, String url, String body, String token) throws Exception {
        return MeshHttp.CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int actuations(DemoPortfolio.Door door) throws Exception {
        return json(get(layout.simulatorUrl() + "/v1/locks/" + door.lockId(), null)).get("actuations").asInt();
    }

    private static void connection(DemoPortfolio.Door door, boolean online) throws Exception {
        HttpResponse<String> response = post(layout.simulatorUrl() + "/v1/locks/" + door.lockId() + "/connection",
                JSON.createObjectNode().put("online", online).toString(), null);
        assertEquals(200, response.statusCode(), response.body());
    }

    private static void awaitState(String credential, String state) throws Exception {
        await("credential " + credential + " " + state,
                () -> state.equals(json(get(registry("/credentials/" + credential), operatorToken)).path("state").asText()));
    }

    private static void await(String what, Check check) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (!check.holds()) {
            assertTrue(Instant.now().isBefore(deadline), "not within 30 s: " + what);
            Thread.sleep(200);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static String registry(String path) {
        return layout.registryUrl() + "/admin/v1/organizations/" + demo.organizationId() + path;
    }

    private static String policy(String path) {
        return "http://localhost:" + layout.policyPort() + "/admin/v1/organizations/" + demo.organizationId() + path;
    }

    private static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    private static JsonNode claims(String jwt) throws IOException {
        return JSON.readTree(new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void screenshot(String name) throws IOException {
        Browsers.screenshot(driver, name);
    }
}
