package dev.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The operator console in headless Chromium over the running mesh: the demo operator signs in at
 * identity-service (password + TOTP, code flow with PKCE), sees the portfolio with each lock's health from
 * device-registry, and sees a lock taken offline and a tampered lock flagged on the right rows. A tenant
 * signs in and gets no operator page; nobody signed in gets the sign-in page.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static Mesh mesh;
    private static MeshLayout layout;
    private static DemoPortfolio demo;

    private Browsers.Browser browser;
    private ChromeDriver driver;

    @BeforeAll
    static void bringUpTheMesh() throws IOException, InterruptedException {
        Browsers.assumeInstalled();
        Path root = Path.of(System.getProperty("portcullis.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("portcullis-e2e-console-");
        layout = new MeshLayout(root, state, 29280, "e2eo_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
        demo = DemoPortfolio.generate(new SecureRandom());
        mesh = Mesh.up(layout, demo, Postgres.server(), null);
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
    void nobodySignedInIsSentToTheSignInPage() throws IOException {
        driver.get(layout.consoleUrl() + "/locks/" + demo.doors().get(0).lockId());
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(layout.issuer().toString()));
        URI at = URI.create(driver.getCurrentUrl());
        assertTrue(at.getQuery().contains("code_challenge_method=S256"), "code flow with PKCE: " + at);
        assertTrue(at.getQuery().contains("client_id=portcullis-console"), at.toString());
        assertEquals("Sign in", driver.findElement(By.tagName("h1")).getText());
        screenshot("console-signed-out");
    }

    @Test
    @Order(2)
    void theOperatorSeesThePortfolioAndAnOfflineAndATamperedLockFlagged() throws Exception {
        signIn(demo.operator());
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().equals(layout.consoleUrl() + "/portfolio"));
        assertEquals("Portfolio", driver.findElement(By.tagName("h1")).getText());
        assertEquals("en", driver.findElement(By.tagName("html")).getAttribute("lang"));
        assertTrue(driver.findElements(By.tagName("script")).isEmpty(), "the console needs no JavaScript");
        assertEquals(DemoPortfolio.PROPERTY_NAME, driver.findElement(By.cssSelector("section.property h2")).getText());
        for (DemoPortfolio.Door door : demo.doors()) {
            assertEquals(door.name(), row(door).findElement(By.tagName("th")).getText());
        }
        // the shadow follows the lock topic: the connections may reach it a moment after the locks connected
        awaitFlags(demo.doors().stream().collect(java.util.stream.Collectors.toMap(door -> door, door -> List.of("online"))));
        screenshot("console-portfolio-healthy");

        DemoPortfolio.Door offline = demo.door("Unit 4B");
        DemoPortfolio.Door tampered = demo.door("Rooftop terrace");
        DemoPortfolio.Door front = demo.door("Front entrance");
        assertEquals(200, post(layout.simulatorUrl() + "/v1/locks/" + offline.lockId() + "/connection", "{\"online\":false}"));
        int event = post(layout.simulatorUrl() + "/v1/locks/" + tampered.lockId() + "/events", "{\"type\":\"TAMPER\"}");
        assertTrue(event / 100 == 2, "the simulator reported the tamper event: " + event);

        awaitFlags(Map.of(offline, List.of("offline"), tampered, List.of("online", "tampered"), front, List.of("online")));
        assertEquals(List.of("offline"), flags(row(offline)));
        assertEquals(List.of("online", "tampered"), flags(row(tampered)));
        assertEquals(List.of("online"), flags(row(front)), "the untouched lock is not flagged");
        assertTrue(driver.findElement(By.cssSelector(".summary")).getText().contains("1 offline"));
        assertTrue(driver.findElement(By.cssSelector(".summary")).getText().contains("1 tampered"));
        screenshot("console-portfolio-offline-tampered");

        row(front).findElement(By.tagName("a")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("/locks/" + front.lockId()));
        assertTrue(driver.findElement(By.tagName("h1")).getText().startsWith("Lock "));
        assertEquals("Revocations the lock has not confirmed", driver.findElement(By.id("revocations")).getText());
        assertEquals("Live credentials", driver.findElement(By.id("live")).getText());
        screenshot("console-lock-credentials");
    }

    @Test
    @Order(3)
    void aTenantGetsNoOperatorPage() throws IOException {
        signIn(demo.tenant());
        // the start sends a tenant to their own doors (TenantBrowserIT); the operator pages stay closed
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().equals(layout.consoleUrl() + "/me"));
        driver.get(layout.consoleUrl() + "/portfolio");
        assertEquals("Not an operator", driver.findElement(By.tagName("h1")).getText());
        assertTrue(driver.findElements(By.cssSelector("section.property")).isEmpty(), "no portfolio for a tenant");
        assertFalse(driver.getPageSource().contains(demo.doors().get(0).lockId()), "no lock ids for a tenant");
        screenshot("console-tenant-refused");
    }

    /** Reloads the portfolio until each door's row shows exactly the given health flags (30 s at most). */
    private void awaitFlags(Map<DemoPortfolio.Door, List<String>> expected) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            Map<String, List<String>> seen = new java.util.TreeMap<>();
            expected.keySet().forEach(door -> seen.put(door.name(), flags(row(door))));
            boolean all = expected.entrySet().stream().allMatch(e -> e.getValue().equals(seen.get(e.getKey().name())));
            if (all) {
                return;
            }
            assertTrue(Instant.now().isBefore(deadline), "the portfolio did not show the expected flags within 30 s: " + seen);
            Thread.sleep(500);
            driver.navigate().refresh();
        }
    }

    private void signIn(DemoPortfolio.Tenant person) {
        Browsers.signIn(driver, layout.consoleUrl(), person);
    }

    private WebElement row(DemoPortfolio.Door door) {
        return driver.findElement(By.cssSelector("tr[data-door-id='" + door.id() + "']"));
    }

    private static List<String> flags(WebElement row) {
        return row.findElements(By.cssSelector("td.health .flag")).stream().map(WebElement::getText).toList();
    }

    private void type(String id, String text) {
        Browsers.type(driver, id, text);
    }

    private void submit(String fieldId) {
        Browsers.submit(driver, fieldId);
    }

    private void screenshot(String name) throws IOException {
        Browsers.screenshot(driver, name);
    }

    private static int post(String url, String json) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }
}
