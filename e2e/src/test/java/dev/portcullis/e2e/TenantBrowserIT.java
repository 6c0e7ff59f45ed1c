package dev.portcullis.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Mesh;
import dev.portcullis.launcher.MeshLayout;
import dev.portcullis.launcher.Totp;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The tenant pages in headless Chromium (a phone-sized window) over the running mesh: the demo tenant signs in at
 * identity-service with password + TOTP, sees the doors open now and the rooftop's next opening (policy-service),
 * unlocks Unit 4B and sees the lock's acknowledgement (command-service; the simulated lock moved once), gives a guest
 * a code that the simulated lock then holds (device-registry, policy's CheckAccess), revokes it until the lock no
 * longer holds it, cannot reach the operator pages, and after signing out is asked to sign in again.
 */
class TenantBrowserIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Mesh mesh;
    private static MeshLayout layout;
    private static DemoPortfolio demo;

    @BeforeAll
    static void bringUpTheMesh() throws IOException, InterruptedException {
        Browsers.assumeInstalled();
        Path root = Path.of(System.getProperty("portcullis.root", "..")).toAbsolutePath().normalize();
        Path state = Files.createTempDirectory("portcullis-e2e-tenant-");
        layout = new MeshLayout(root, state, 29480, "e2et_" + HexFormat.of().formatHex(SecureRandom.getSeed(4)));
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
    void theTenantSignsInUnlocksGivesAGuestACodeAndRevokesIt() throws Exception {
        try (Browsers.Browser browser = Browsers.open(412, 915)) {
            run(browser.driver());
        }
    }

    private void run(ChromeDriver driver) throws Exception {
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(20));
        DemoPortfolio.Door front = demo.door("Front entrance");
        DemoPortfolio.Door unit = demo.door("Unit 4B");
        DemoPortfolio.Door roof = demo.door("Rooftop terrace");

        // signed in with password + TOTP, the start leads to my doors
        driver.get(layout.consoleUrl() + "/");
        wait.until(d -> !d.findElements(By.id("username")).isEmpty());
        type(driver, "username", demo.tenant().username());
        type(driver, "password", demo.tenant().password());
        submit(driver, "password");
        wait.until(d -> !d.findElements(By.id("code")).isEmpty());
        type(driver, "code", Totp.code(demo.tenant().totpSecret(), Instant.now()));
        submit(driver, "code");
        wait.until(d -> d.getCurrentUrl().equals(layout.consoleUrl() + "/me"));
        assertEquals("My doors", driver.findElement(By.tagName("h1")).getText());
        WebElement openNow = driver.findElement(By.xpath("//section[h2[@id='open-now']]"));
        assertFalse(openNow.findElements(By.cssSelector("li[data-door-id='" + front.id() + "'] button.unlock")).isEmpty());
        assertFalse(openNow.findElements(By.cssSelector("li[data-door-id='" + unit.id() + "'] button.unlock")).isEmpty());
        WebElement later = driver.findElement(By.xpath("//section[h2[@id='later']]"));
        String rooftop = later.findElement(By.cssSelector("li[data-door-id='" + roof.id() + "']")).getText();
        assertTrue(rooftop.contains("Rooftop terrace") && rooftop.contains("opens "), rooftop);
        screenshot(driver, "tenant-doors");

        // unlock Unit 4B: the attempt page shows the lock's acknowledgement; the simulated lock moved once
        int before = lock(unit.lockId()).get("actuations").asInt();
        openNow.findElement(By.cssSelector("li[data-door-id='" + unit.id() + "'] button.unlock")).click();
        wait.until(d -> d.getCurrentUrl().contains("/me/attempts/"));
        wait.until(d -> d.findElement(By.tagName("h1")).getText().equals("Unlocked"));
        assertEquals("Unit 4B", driver.findElement(By.cssSelector(".attempt-door")).getText());
        assertEquals(before + 1, lock(unit.lockId()).get("actuations").asInt(), "the lock moved exactly once");
        screenshot(driver, "tenant-attempt");

        // a guest code for Unit 4B: the PIN once, then listed; the simulated lock holds it
        driver.get(layout.consoleUrl() + "/me/guest-codes");
        type(driver, "guestName", "Grandma Rose");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("doorId"))).selectByVisibleText("Unit 4B");
        new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("validity"))).selectByValue("1d");
        submit(driver, "guestName");
        wait.until(d -> !d.findElements(By.cssSelector(".pin")).isEmpty());
        String pin = driver.findElement(By.cssSelector(".pin")).getText();
        assertTrue(pin.matches("[0-9]{6}"), pin);
        WebElement code = driver.findElement(By.cssSelector("li.code"));
        String codeId = code.getAttribute("data-code-id");
        assertTrue(code.getText().contains("Grandma Rose") && code.getText().contains("Unit 4B"), code.getText());
        screenshot(driver, "tenant-guest-codes");
        awaitHeld(unit.lockId(), codeId, true);
        driver.get(layout.consoleUrl() + "/me/guest-codes");
        assertFalse(driver.getPageSource().contains(pin), "the PIN is never shown again");

        // revoke: pending until the lock confirms, then gone from the lock
        driver.findElement(By.cssSelector("li.code[data-code-id='" + codeId + "'] form button")).click();
        wait.until(d -> d.getCurrentUrl().equals(layout.consoleUrl() + "/me/guest-codes"));
        String state = driver.findElement(By.cssSelector("li.code[data-code-id='" + codeId + "']")).getAttribute("data-state");
        assertTrue(state.equals("revoke_pending") || state.equals("revoked"), state);
        awaitHeld(unit.lockId(), codeId, false);
        Instant deadline = Instant.now().plusSeconds(30);
        while (!"revoked".equals(driver.findElement(By.cssSelector("li.code[data-code-id='" + codeId + "']")).getAttribute("data-state"))) {
            assertTrue(Instant.now().isBefore(deadline), "the revocation was confirmed within 30 s");
            Thread.sleep(500);
            driver.navigate().refresh();
        }
        screenshot(driver, "tenant-guest-code-revoked");

        // operator pages stay closed; signing out ends the sign-in
        driver.get(layout.consoleUrl() + "/portfolio");
        assertEquals("Not an operator", driver.findElement(By.tagName("h1")).getText());
        driver.get(layout.consoleUrl() + "/sign-out");
        wait.until(d -> d.getCurrentUrl().startsWith(layout.issuer().toString()));
        WebElement confirm = driver.findElements(By.cssSelector("form button, form input[type=submit]")).stream().findFirst().orElse(null);
        if (confirm != null) {
            confirm.click();
        }
        driver.get(layout.consoleUrl() + "/me");
        wait.until(d -> !d.findElements(By.id("username")).isEmpty());
        assertTrue(driver.getCurrentUrl().startsWith(layout.issuer().toString()), driver.getCurrentUrl());
        screenshot(driver, "tenant-signed-out");
    }

    private static void awaitHeld(String lockId, String credentialId, boolean held) throws Exception {
        Instant deadline = Instant.now().plusSeconds(30);
        while (true) {
            int status = HTTP.send(HttpRequest.newBuilder(URI.create(layout.simulatorUrl() + "/v1/locks/" + lockId + "/credentials/"
                    + credentialId)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == (held ? 204 : 404)) {
                return;
            }
            assertTrue(Instant.now().isBefore(deadline), "the lock " + (held ? "holds" : "dropped") + " the guest code within 30 s (" + status + ")");
            Thread.sleep(300);
        }
    }

    private static JsonNode lock(String lockId) throws Exception {
        return JSON.readTree(HTTP.send(HttpRequest.newBuilder(URI.create(layout.simulatorUrl() + "/v1/locks/" + lockId)).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    private static void type(ChromeDriver driver, String id, String text) {
        Browsers.type(driver, id, text);
    }

    private static void submit(ChromeDriver driver, String fieldId) {
        Browsers.submit(driver, fieldId);
    }

    private static void screenshot(ChromeDriver driver, String name) throws IOException {
        Browsers.screenshot(driver, name);
    }
}
