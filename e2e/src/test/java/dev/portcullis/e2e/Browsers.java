package dev.portcullis.e2e;

import dev.portcullis.launcher.DemoPortfolio;
import dev.portcullis.launcher.Totp;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Chromium for the browser tests (Debian's chromium and chromium-driver, driven from Java), and the steps
 * every one of them takes: sign in at identity-service's pages with password + TOTP, fill a field, send a form, save a
 * screenshot to {@code target/screenshots/}.
 */
final class Browsers {

    static final Path CHROMIUM = Path.of(System.getProperty("portcullis.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("portcullis.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** One browser and its driver process; closing ends both. */
    record Browser(ChromeDriverService service, ChromeDriver driver) implements AutoCloseable {
        @Override
        public void close() {
            driver.quit();
            service.stop();
        }
    }

    private Browsers() {
    }

    /** Installs the browser when missing and possible (dev/browser.sh); otherwise the test is skipped and says why. */
    static void assumeInstalled() throws IOException, InterruptedException {
        Path installer = Path.of("..", "dev", "browser.sh");
        if (!(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) && Files.isRegularFile(installer)) {
            new ProcessBuilder("bash", installer.toString(), "ensure").inheritIO().start().waitFor();
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "the browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (Debian packages chromium and chromium-driver); skipped because they are absent");
        Files.createDirectories(SCREENSHOTS);
    }

    /** A headless browser with a window of this size (a phone is 412 x 915). */
    static Browser open(int width, int height) {
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--window-size=" + width + "," + height);
        return new Browser(service, new ChromeDriver(service, options));
    }

    /** Opens the console, is sent to identity-service's sign-in page and signs in with password and a fresh TOTP code. */
    static void signIn(ChromeDriver driver, URI console, DemoPortfolio.Tenant person) {
        driver.get(console + "/");
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("username")).isEmpty());
        type(driver, "username", person.username());
        type(driver, "password", person.password());
        submit(driver, "password");
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> !d.findElements(By.id("code")).isEmpty());
        type(driver, "code", Totp.code(person.totpSecret(), Instant.now()));
        submit(driver, "code");
    }

    static void type(ChromeDriver driver, String id, String text) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    /** Sends the form the field with this id belongs to. */
    static void submit(ChromeDriver driver, String fieldId) {
        driver.findElement(By.id(fieldId)).findElement(By.xpath("ancestor::form")).submit();
    }

    static void screenshot(ChromeDriver driver, String name) throws IOException {
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
