package dev.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.OidcLogin;
import dev.portcullis.testkit.Postgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator read views in headless Chromium over the running mesh: after the demo tenant unlocks the front door
 * (API), the operator (password + TOTP) sees it in the live feed; a TAMPER reported by the simulated lock of
 * "Unit 4B" shows up as an open alert, which the operator acknowledges; the access review of "Unit 4B" lists the demo
 * tenant and downloads as CSV; an audit search finds the unlock and its export verifies against the signed tree head.
 * Screenshots: console-events.png, console-alerts.png, console-access.png, console-audit.png.
 */
class ConsoleViewsBrowserIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Mesh mesh;
    private static MeshLayout layout;
    private static DemoPortfolio demo;

    @BeforeAll
    static void bringUpTheMesh() throws IOException, InterruptedException {
        Browsers.assumeInstalled();
        Path root = Path.of(System.getProperty("portcullis.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("portcullis-e2e-console-views-");
        layout = new MeshLayout(root, state, 29580, "e2ev_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        demo = DemoPortfolio.generate(new SecureRandom());
        mesh = Mesh.up(layout, demo, Postgres.server(), null);
    }

    @AfterAll
    static void takeItDown() {
        if (mesh != null) {
            mesh.stop();
        }
    }

    @Test
    void theOperatorFollowsAnUnlockAndATamperThroughTheReadViews() throws Exception {
        // The demo tenant unlocks the front door through the API partners and apps use.
        String tenantToken = new OidcLogin(layout.issuer())
                .login(demo.tenant().username(), demo.tenant().password(), demo.tenant().totpSecret())
                .getAccessToken().getValue();
        DemoPortfolio.Door front = demo.door("Front entrance");
        HttpResponse<String> unlock = HTTP.send(HttpRequest.newBuilder(URI.create(layout.commandUrl() + "/v1/doors/" + front.id() + "/unlock"))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + tenantToken)
                .header("Idempotency-Key", UUID.randomUUID().toString()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(unlock.statusCode() / 100 == 2, "the tenant's unlock: " + unlock.statusCode() + " " + unlock.body());

        Browsers.Browser browser = Browsers.open(1280, 1000);
        ChromeDriver driver = browser.driver();
        try {
            signIn(driver, demo.operator());
            new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(layout.consoleUrl() + "/portfolio"));

            // Live feed: the unlock's entries arrive (the page refreshes itself; we reload to not wait for it).
            driver.get(layout.consoleUrl() + "/events");
            assertEquals("Events", driver.findElement(By.tagName("h1")).getText());
            assertFalse(driver.findElements(By.cssSelector("meta[http-equiv='refresh']")).isEmpty(), "auto-refresh");
            awaitText(driver, "unlock acknowledged", Duration.ofSeconds(30));
            WebElement entry = driver.findElements(By.cssSelector("tr[data-sequence]")).stream()
                    .filter(row -> row.getText().contains("unlock requested")).findFirst().orElseThrow();
            assertTrue(entry.getText().contains(demo.tenant().id()), "who: the tenant — " + entry.getText());
            assertTrue(entry.getText().contains("Front entrance"), "which door, by name — " + entry.getText());
            screenshot(driver, "console-events");
            new Select(driver.findElement(By.id("doorId"))).selectByVisibleText("Front entrance");
            driver.findElement(By.cssSelector("form.filters button")).click();
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("doorId=" + front.id()));
            assertEquals("Events at Front entrance", driver.findElement(By.tagName("h1")).getText());

            // A tamper at Unit 4B's lock becomes an open alert; the operator acknowledges it.
            DemoPortfolio.Door unit = demo.door("Unit 4B");
            int tamper = post(layout.simulatorUrl() + "/v1/locks/" + unit.lockId() + "/events", "{\"type\":\"TAMPER\"}");
            assertTrue(tamper / 100 == 2, "the simulator reported the tamper: " + tamper);
            driver.get(layout.consoleUrl() + "/alerts");
            awaitText(driver, "tamper", Duration.ofSeconds(30));
            WebElement alert = driver.findElements(By.cssSelector("tr[data-alert-id]")).stream()
                    .filter(row -> row.getText().contains("tamper") && row.getText().contains("Unit 4B")).findFirst().orElseThrow();
            String alertId = alert.getAttribute("data-alert-id");
            assertTrue(alert.getText().contains("critical"), alert.getText());
            screenshot(driver, "console-alerts");
            alert.findElement(By.name("note")).sendKeys("checked on site");
            alert.findElement(By.cssSelector("form.acknowledge button")).click();
            new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().contains("acknowledged=" + alertId));
            String acknowledged = driver.findElement(By.cssSelector("tr[data-alert-id='" + alertId + "']")).getText();
            assertTrue(acknowledged.contains("acknowledged by ") && acknowledged.contains("checked on site"), acknowledged);
            // ... and the acknowledgement is itself an entry of the log, by the operator.
            driver.get(layout.consoleUrl() + "/events?doorId=" + unit.id());
            awaitText(driver, "alert acknowledged", Duration.ofSeconds(10));

            // Who can open Unit 4B: the demo tenant; the CSV comes as an attachment.
            driver.get(layout.consoleUrl() + "/doors/" + unit.id() + "/access");
            assertEquals("Who can open Unit 4B", driver.findElement(By.tagName("h1")).getText());
            assertFalse(driver.findElements(By.cssSelector("tr[data-subject='" + demo.tenant().id() + "']")).isEmpty(),
                    "the demo tenant can open Unit 4B: " + driver.findElement(By.tagName("main")).getText());
            screenshot(driver, "console-access");
            HttpResponse<String> csv = withSession(driver, "/doors/" + unit.id() + "/access.csv");
            assertEquals(200, csv.statusCode(), csv.body());
            assertTrue(csv.headers().firstValue("Content-Disposition").orElseThrow().startsWith("attachment;"));
            assertTrue(csv.headers().firstValue("Content-Type").orElseThrow().startsWith("text/csv"));
            assertTrue(csv.body().lines().anyMatch(line -> line.startsWith("\"" + demo.tenant().id() + "\"")), csv.body());

            // Audit search at the front door, then the verified export.
            driver.get(layout.consoleUrl() + "/audit");
            new Select(driver.findElement(By.id("doorId"))).selectByVisibleText("Front entrance");
            driver.findElement(By.cssSelector("form.search button")).click();
            new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().contains("doorId=" + front.id()));
            assertTrue(driver.findElement(By.tagName("main")).getText().contains("unlock decided"));
            driver.findElement(By.linkText("Export (verified)")).click();
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> !d.findElements(By.cssSelector(".export p[role]")).isEmpty());
            String verdict = driver.findElement(By.cssSelector(".export p[role]")).getText();
            assertTrue(verdict.matches("(?s)verified up to tree size \\d+:.*key pinned.*"), verdict);
            screenshot(driver, "console-audit");
            String href = driver.findElement(By.partialLinkText("Download the export")).getAttribute("href");
            HttpResponse<String> export = withSession(driver, URI.create(href).getRawPath() + "?" + URI.create(href).getRawQuery());
            assertEquals(200, export.statusCode(), export.body());
            assertTrue(export.headers().firstValue("Portcullis-Verified-Tree-Size").isPresent());
            assertTrue(export.body().startsWith("{\"type\":\"tree_head\""), export.body());
            assertTrue(export.body().contains("\"eventType\":\"unlock_decided\""));
        } finally {
            browser.close();
        }
    }

    private static void awaitText(ChromeDriver driver, String text, Duration within) throws InterruptedException {
        Instant deadline = Instant.now().plus(within);
        while (!driver.findElement(By.tagName("main")).getText().contains(text)) {
            assertTrue(Instant.now().isBefore(deadline), "'" + text + "' did not appear on " + driver.getCurrentUrl() + " within " + within
                    + ": " + driver.findElement(By.tagName("main")).getText());
            Thread.sleep(500);
            driver.navigate().refresh();
        }
    }

    /** GET a console path with the browser's session cookies (downloads are fetched outside the browser). */
    private static HttpResponse<String> withSession(ChromeDriver driver, String path) throws IOException, InterruptedException {
        String cookies = driver.manage().getCookies().stream().map(c -> c.getName() + "=" + c.getValue()).collect(Collectors.joining("; "));
        return HTTP.send(HttpRequest.newBuilder(URI.create(layout.consoleUrl() + path)).header("Cookie", cookies).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void signIn(ChromeDriver driver, DemoPortfolio.Tenant person) {
        Browsers.signIn(driver, layout.consoleUrl(), person);
    }

    private static void type(ChromeDriver driver, String id, String text) {
        Browsers.type(driver, id, text);
    }

    private static void screenshot(ChromeDriver driver, String name) throws IOException {
        Browsers.screenshot(driver, name);
    }

    private static int post(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
