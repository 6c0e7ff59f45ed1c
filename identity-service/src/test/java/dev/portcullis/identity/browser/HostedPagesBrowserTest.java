package dev.portcullis.identity.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.MfaFixtures;
import dev.portcullis.identity.SsoBrowser;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.identity.TestClock;
import dev.portcullis.identity.client.OAuthClients;
import dev.portcullis.identity.mfa.Totp;
import dev.portcullis.identity.mfa.TotpEnrollment;
import dev.portcullis.identity.mfa.TotpSecrets;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.io.File;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;

/**
 * The hosted sign-in pages in real headless Chromium: password + TOTP, forced TOTP enrollment and a
 * step-up, each ending at a client's redirect URI (a loopback server of the test) with a code whose
 * tokens are then checked.
 */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class HostedPagesBrowserTest {

    static final Path CHROMIUM = Path.of(System.getProperty("portcullis.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("portcullis.chromedriver", "/usr/bin/chromedriver"));
    static final UUID ORG = UUID.fromString(IdentityTestProfile.ORG);

    @Inject
    TestAccounts accounts;

    @Inject
    MfaFixtures fixtures;

    @Inject
    TestClock clock;

    @Inject
    OAuthClients clients;

    HttpServer callback;
    String clientId;
    String redirectUri;
    WebDriver driver;
    ChromeDriverService service;

    @BeforeAll
    static void needsChromium() throws Exception {
        Path installer = Path.of("..", "dev", "browser.sh");
        if (!(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) && Files.isRegularFile(installer)) {
            // Like PostgreSQL: installed from the Debian packages when missing (as root; otherwise it says how).
            new ProcessBuilder("bash", installer.toString(), "ensure").inheritIO().start().waitFor();
        }
        Assumptions.assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
                        + " (Debian packages chromium and chromium-driver); skipped because they are absent");
    }

    @BeforeEach
    void start() throws Throwable {
        callback = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        callback.createContext("/callback", exchange -> {
            byte[] body = "<!DOCTYPE html><html lang=\"en\"><title>Client</title><p id=\"client\">back at the client</p></html>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        callback.start();
        clientId = "browser-test-" + UUID.randomUUID();
        redirectUri = "http://127.0.0.1:" + callback.getAddress().getPort() + "/callback";
        VertxContextSupport.subscribeAndAwait(() -> clients.register(new OAuthClients.Registration(clientId, "Browser Test App",
                List.of(redirectUri), List.of("openid", "profile", "unlock"), null)));

        service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-dev-shm-usage", "--no-first-run", "--window-size=1024,900");
        driver = new ChromeDriver(service, options);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (service != null) {
            service.stop();
        }
        if (callback != null) {
            callback.stop(0);
        }
        clock.reset();
    }

    /** Opens the authorization endpoint; returns the PKCE verifier. */
    String authorize(Map<String, String> extra) {
        String verifier = Tokens.random256();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", clientId);
        params.put("redirect_uri", redirectUri);
        params.put("scope", "openid profile");
        params.put("state", "browser-state");
        params.put("nonce", "browser-nonce");
        params.put("code_challenge", Tokens.s256(verifier));
        params.put("code_challenge_method", "S256");
        params.putAll(extra);
        driver.get(IdentityTestProfile.ISSUER + "/oauth2/authorize?" + SsoBrowser.form(params));
        return verifier;
    }

    void type(String id, String text) {
        WebElement field = driver.findElement(By.id(id));
        field.clear();
        field.sendKeys(text);
    }

    void submit(String fieldId) {
        driver.findElement(By.id(fieldId)).findElement(By.xpath("ancestor::form")).submit();
    }

    void assertAccessiblePage(String heading) {
        assertEquals("en", driver.findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals(heading, driver.findElement(By.tagName("h1")).getText());
        assertTrue(driver.findElements(By.tagName("script")).isEmpty(), "no scripts on the sign-in pages");
    }

    void assertCodeFieldIsLabelled() {
        WebElement code = driver.findElement(By.id("code"));
        assertEquals("one-time-code", code.getAttribute("autocomplete"));
        assertFalse(driver.findElements(By.cssSelector("label[for='code']")).isEmpty(), "the code field has a label");
    }

    /** Waits for the redirect to the client; returns the authorization code after checking state and iss. */
    String landedCode() {
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().startsWith(redirectUri));
        Map<String, String> query = Browser.query(URI.create(driver.getCurrentUrl()));
        assertEquals("browser-state", query.get("state"));
        assertEquals(IdentityTestProfile.ISSUER, query.get("iss"));
        assertNotNull(query.get("code"), driver.getCurrentUrl());
        assertEquals("back at the client", driver.findElement(By.id("client")).getText());
        return query.get("code");
    }

    JWTClaimsSet redeem(String code, String verifier) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(IdentityTestProfile.ISSUER
                + "/oauth2/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(SsoBrowser.form(Map.of("grant_type", "authorization_code", "code", code,
                        "redirect_uri", redirectUri, "client_id", clientId, "code_verifier", verifier))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JSONObject json = (JSONObject) new JSONParser(JSONParser.MODE_PERMISSIVE).parse(response.body());
        return SignedJWT.parse((String) json.get("access_token")).getJWTClaimsSet();
    }

    @Test
    void passwordAndTotpLeadBackToTheClientWithACode() throws Exception {
        TestAccounts.TestAccount account = accounts.create(true);
        String verifier = authorize(Map.of());
        assertAccessiblePage("Sign in");
        assertTrue(driver.getPageSource().contains("Browser Test App"));
        assertEquals("username", driver.findElement(By.id("username")).getAttribute("autocomplete"));
        type("username", account.username());
        type("password", "not-the-password");
        submit("password");
        assertEquals("Invalid username or password.", driver.findElement(By.cssSelector("[role=alert]")).getText());

        type("username", account.username());
        type("password", account.password());
        submit("password");
        assertAccessiblePage("Verification code");
        assertCodeFieldIsLabelled();
        type("code", accounts.code(account.totpKey()));
        submit("code");

        JWTClaimsSet claims = redeem(landedCode(), verifier);
        assertEquals(account.id().toString(), claims.getSubject());
        assertEquals("aal2", claims.getStringClaim("acr"));
        assertEquals(List.of("pwd", "otp", "mfa"), claims.getStringListClaim("amr"));
    }

    @Test
    void aNewUserInAnOrganizationThatRequiresMfaEnrollsTotpDuringLogin() throws Exception {
        UUID organization = fixtures.organization(true);
        TestAccounts.TestAccount account = fixtures.account(organization);
        String verifier = authorize(Map.of());
        type("username", account.username());
        type("password", account.password());
        submit("password");

        assertAccessiblePage("Set up your authenticator app");
        assertCodeFieldIsLabelled();
        String secret = driver.findElement(By.id("totp-secret")).getText();
        String uri = driver.findElement(By.id("totp-uri")).getText();
        assertTrue(uri.startsWith("otpauth://totp/Portcullis:") && uri.contains("secret=" + secret.replace(" ", "")), uri);
        byte[] key = TotpSecrets.decode(secret);

        type("code", accounts.wrongCode(key));
        submit("code");
        assertTrue(driver.findElement(By.cssSelector("[role=alert]")).getText().contains("Invalid code."));
        assertEquals(secret, driver.findElement(By.id("totp-secret")).getText(), "the same secret until it is confirmed");

        type("code", accounts.code(key));
        submit("code");
        JWTClaimsSet claims = redeem(landedCode(), verifier);
        assertEquals("aal2", claims.getStringClaim("acr"));
        assertEquals(List.of("pwd", "otp", "mfa"), claims.getStringListClaim("amr"));
    }

    @Test
    void aPasswordOnlySessionStepsUpToTheSecondFactorWhenTheClientAsksForAal2() throws Exception {
        TestAccounts.TestAccount account = fixtures.account(ORG);
        String verifier = authorize(Map.of());
        type("username", account.username());
        type("password", account.password());
        submit("password");
        JWTClaimsSet aal1 = redeem(landedCode(), verifier);
        assertEquals("aal1", aal1.getStringClaim("acr"));

        // Single sign-on: the same request again needs no page at all.
        verifier = authorize(Map.of());
        assertEquals("aal1", redeem(landedCode(), verifier).getStringClaim("acr"));

        // The account gets an authenticator; a resource server demands aal2 (RFC 9470), the client asks for it.
        byte[] key = TotpEnrollment.newSeed();
        fixtures.withTotp(account, ORG, key);
        clock.advance(Duration.ofSeconds(3));
        verifier = authorize(Map.of("acr_values", "aal2"));
        assertAccessiblePage("Verification code");
        assertTrue(driver.findElements(By.id("password")).isEmpty(), "the fresh password is not asked again");
        type("code", Totp.code(key, clock.instant()));
        submit("code");
        JWTClaimsSet aal2 = redeem(landedCode(), verifier);
        assertEquals("aal2", aal2.getStringClaim("acr"));
        assertEquals(List.of("pwd", "otp", "mfa"), aal2.getStringListClaim("amr"));
        assertTrue(aal2.getDateClaim("auth_time").after(aal1.getDateClaim("auth_time")), "a new auth_time");

        // max_age=0 forces the whole sign-in again, even on an aal2 session.
        authorize(Map.of("max_age", "0"));
        assertAccessiblePage("Sign in");
    }

    @Test
    void aPasskeyRegisteredOnTheAccountPageSignsInWithChromesVirtualAuthenticator() throws Exception {
        VirtualAuthenticator authenticator = ((HasVirtualAuthenticator) driver).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
                .setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
                .setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
                .setHasResidentKey(true)
                .setHasUserVerification(true)
                .setIsUserVerified(true));
        TestAccounts.TestAccount account = accounts.create(true);
        String verifier = authorize(Map.of());
        type("username", account.username());
        type("password", account.password());
        submit("password");
        type("code", accounts.code(account.totpKey()));
        submit("code");
        redeem(landedCode(), verifier);

        // The account page (same session), within the fresh-factor window: add a passkey.
        driver.get(IdentityTestProfile.ISSUER + "/account/security");
        assertAccessiblePageWithScript("Sign-in security");
        driver.findElement(By.id("passkey-button")).click();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> d.getCurrentUrl().endsWith("done=passkey"));
        assertEquals("Your passkey is added.", driver.findElement(By.id("notice")).getText());
        assertEquals(1, authenticator.getCredentials().size());

        // Signed out (no session cookie): password, then the passkey instead of a code.
        driver.manage().deleteAllCookies();
        verifier = authorize(Map.of());
        type("username", account.username());
        type("password", account.password());
        submit("password");
        assertAccessiblePageWithScript("Verification code");
        driver.findElement(By.id("passkey-button")).click();
        JWTClaimsSet claims = redeem(landedCode(), verifier);
        assertEquals("phr", claims.getStringClaim("acr"));
        assertEquals(List.of("pwd", "swk", "user", "mfa"), claims.getStringListClaim("amr"));
    }

    /** The passkey pages load exactly one script: the first-party one. */
    void assertAccessiblePageWithScript(String heading) {
        assertEquals("en", driver.findElement(By.tagName("html")).getAttribute("lang"));
        assertEquals(heading, driver.findElement(By.tagName("h1")).getText());
        List<WebElement> scripts = driver.findElements(By.tagName("script"));
        assertEquals(1, scripts.size());
        assertEquals(IdentityTestProfile.ISSUER + "/assets/webauthn.js", scripts.get(0).getAttribute("src"));
    }
}
