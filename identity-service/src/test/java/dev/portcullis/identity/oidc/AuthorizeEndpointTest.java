package dev.portcullis.identity.oidc;

import static dev.portcullis.identity.IdentityTestProfile.ISSUER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Discovery, JWKS and the authorization endpoint's validation, over HTTP. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class AuthorizeEndpointTest {

    static final String REDIRECT = DemoSeed.CLI_REDIRECT;

    @jakarta.inject.Inject
    dev.portcullis.identity.signing.TokenSigner signer;

    static Map<String, String> request() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", DemoSeed.CLI_CLIENT);
        params.put("redirect_uri", REDIRECT);
        params.put("scope", "openid unlock");
        params.put("state", "st-123");
        params.put("nonce", "n-456");
        params.put("code_challenge", Tokens.s256("v".repeat(50)));
        params.put("code_challenge_method", "S256");
        return params;
    }

    static URI uri(Map<String, String> params) {
        return URI.create(ISSUER + "/oauth2/authorize?" + params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")));
    }

    @Test
    void discoveryDescribesTheProvider() throws Exception {
        Response response = RestAssured.get("/.well-known/openid-configuration");
        assertEquals(200, response.statusCode());
        OIDCProviderMetadata metadata = OIDCProviderMetadata.parse(response.asString());
        assertEquals(new Issuer(ISSUER), metadata.getIssuer());
        assertEquals(URI.create(ISSUER + "/oauth2/authorize"), metadata.getAuthorizationEndpointURI());
        assertEquals(URI.create(ISSUER + "/oauth2/token"), metadata.getTokenEndpointURI());
        assertEquals(URI.create(ISSUER + "/oauth2/jwks"), metadata.getJWKSetURI());
        assertEquals(URI.create(ISSUER + "/oauth2/userinfo"), metadata.getUserInfoEndpointURI());
        assertEquals("[code]", metadata.getResponseTypes().toString());
        assertEquals("[S256]", metadata.getCodeChallengeMethods().toString());
        assertEquals("[ES256]", metadata.getIDTokenJWSAlgs().toString());
        assertEquals("[public]", metadata.getSubjectTypes().toString());
        assertEquals("[none, client_secret_basic, private_key_jwt]", metadata.getTokenEndpointAuthMethods().toString());
        assertFalse(metadata.getTokenEndpointJWSAlgs().toString().contains("HS"), "no symmetric client assertions");
        assertTrue(metadata.getDPoPJWSAlgs().contains(com.nimbusds.jose.JWSAlgorithm.ES256));
        assertFalse(metadata.getDPoPJWSAlgs().toString().contains("HS"), "no symmetric DPoP proofs");
        assertTrue(metadata.supportsAuthorizationResponseIssuerParam());
        assertTrue(metadata.getScopes().contains("openid"));
        assertTrue(metadata.getClaims().containsAll(List.of("sub", "amr", "acr", "auth_time", "org")));
        assertEquals(List.of("authorization_code", "refresh_token", "client_credentials"), response.jsonPath().getList("grant_types_supported"));
        assertEquals(URI.create(ISSUER + "/oauth2/revoke"), metadata.getRevocationEndpointURI());
        assertEquals(URI.create(ISSUER + "/oauth2/introspect"), metadata.getIntrospectionEndpointURI());
        assertEquals(URI.create(ISSUER + "/oauth2/logout"), metadata.getEndSessionEndpointURI());
        assertTrue(metadata.getScopes().contains("offline_access"));
    }

    @Test
    void jwksPublishesOnlyThePublicSigningKeys() throws Exception {
        String body = RestAssured.get("/oauth2/jwks").then().statusCode(200).extract().asString();
        JWKSet set = JWKSet.parse(body);
        // The active key, and (once keys have rotated, see SigningKeyRotationTest) the next and retired ones.
        assertTrue(set.getKeyByKeyId(signer.keyId()) != null, "the active key is published");
        assertFalse(body.contains("\"d\""), body);
        for (JWK key : set.getKeys()) {
            assertFalse(key.isPrivate());
            assertEquals("sig", key.getKeyUse().identifier());
            assertEquals("ES256", key.getAlgorithm().getName());
            assertEquals("P-256", ((ECKey) key).getCurve().getName());
            assertEquals(key.computeThumbprint().toString(), key.getKeyID());
        }
    }

    @Test
    void theLoginPageKeepsItsContractAndItsSecurityHeaders() {
        Browser browser = new Browser();
        HttpResponse<String> page = browser.authorize(uri(request()));
        String html = page.body();
        assertTrue(html.contains("<title>Sign in – Portcullis</title>"), html);
        assertTrue(html.contains("<h1>Sign in</h1>"), html);
        assertTrue(html.contains("<form method=\"post\" action=\"/login\">"));
        assertTrue(html.contains("<input type=\"hidden\" name=\"flow\" value=\"" + browser.flow() + "\">"));
        assertTrue(html.contains("<input name=\"username\""));
        assertTrue(html.contains("<input name=\"password\" type=\"password\""));
        assertFalse(html.contains("<script"), "no scripts");
        assertEquals(43, browser.flow().length(), "256-bit flow id, base64url");
        assertEquals(browser.flow(), browser.cookie(), "the cookie carries the flow id the form does");
        assertEquals("default-src 'self'; frame-ancestors 'none'", page.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("DENY", page.headers().firstValue("X-Frame-Options").orElseThrow());
        assertEquals("no-store", page.headers().firstValue("Cache-Control").orElseThrow());
        assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
        String cookie = Browser.setCookie(page).orElseThrow();
        assertTrue(cookie.contains("HttpOnly"), cookie);
        assertTrue(cookie.contains("SameSite=Lax"), cookie);
        assertTrue(cookie.contains("Path=/login"), cookie);
    }

    @Test
    void aFlowOnlyContinuesInTheBrowserThatStartedIt() {
        Browser victim = new Browser();
        victim.authorize(uri(request()));
        // Another browser posting the victim's flow id, with its own (or no) cookie: refused, no redirect.
        Browser other = new Browser();
        other.authorize(uri(request()));
        other.flow(victim.flow());
        HttpResponse<String> crossed = other.password("alex@harborlofts.example", "whatever-password");
        assertEquals(400, crossed.statusCode());
        assertTrue(crossed.headers().firstValue("Location").isEmpty());
        Browser noCookie = new Browser();
        noCookie.flow(victim.flow());
        assertEquals(400, noCookie.password("alex@harborlofts.example", "whatever-password").statusCode());
        // An invented flow id with a matching cookie: refused as well.
        Browser forged = new Browser();
        forged.flow(Tokens.random256());
        forged.cookie(forged.flow());
        assertEquals(400, forged.password("alex@harborlofts.example", "whatever-password").statusCode());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://127.0.0.1:53682/other",
            "http://127.0.0.1:53682/callback/",
            "http://127.0.0.1:53682/callback?extra=1",
            "http://127.0.0.1:53682/callback#fragment",
            "http://127.0.0.1:53682/callback?",
            "http://127.0.0.1:53682/Callback",
            "HTTP://127.0.0.1:53682/callback",
            "http://localhost:53682/callback",
            "http://127.0.0.1:53683/callback",
            "https://attacker.example/callback"})
    void aRedirectUriThatIsNotExactlyRegisteredGetsAnErrorPageAndNoRedirect(String redirect) {
        Map<String, String> params = request();
        params.put("redirect_uri", redirect);
        HttpResponse<String> page = new Browser().get(uri(params));
        assertEquals(400, page.statusCode());
        assertTrue(page.headers().firstValue("Location").isEmpty(), "never redirected");
        assertTrue(page.body().contains("not registered"), page.body());
        assertFalse(page.body().contains(redirect), "the bad address is not echoed");
        assertTrue(Browser.setCookie(page).isEmpty(), "no flow is started");
    }

    @Test
    void theDemoConsoleClientIsSeededWithExactlyItsCallbackAndItsScopes() {
        Map<String, String> console = request();
        console.put("client_id", DemoSeed.CONSOLE_CLIENT);
        console.put("redirect_uri", IdentityTestProfile.CONSOLE_REDIRECT);
        console.put("scope", "openid profile");
        HttpResponse<String> page = new Browser().authorize(uri(console));
        assertEquals(200, page.statusCode(), page.body());
        assertTrue(page.body().contains("<h1>Sign in</h1>"), page.body());

        Map<String, String> elsewhere = new LinkedHashMap<>(console);
        elsewhere.put("redirect_uri", DemoSeed.CLI_REDIRECT);
        assertEquals(400, new Browser().get(uri(elsewhere)).statusCode(), "only the console's own callback");

        Map<String, String> unlock = new LinkedHashMap<>(console);
        unlock.put("scope", "openid unlock");
        HttpResponse<String> refused = new Browser().get(uri(unlock));
        assertEquals(302, refused.statusCode(), refused.body());
        String location = refused.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith(IdentityTestProfile.CONSOLE_REDIRECT + "?"), location);
        assertEquals("invalid_scope", Browser.query(URI.create(location)).get("error"), "the console cannot ask for the unlock scope");
    }

    @Test
    void unknownOrMissingClientsAndMissingRedirectUrisGetAnErrorPage() {
        Map<String, String> unknown = request();
        unknown.put("client_id", "no-such-client");
        HttpResponse<String> page = new Browser().get(uri(unknown));
        assertEquals(400, page.statusCode());
        assertTrue(page.headers().firstValue("Location").isEmpty());

        Map<String, String> noRedirect = request();
        noRedirect.remove("redirect_uri");
        assertEquals(400, new Browser().get(uri(noRedirect)).statusCode());

        Map<String, String> noClient = request();
        noClient.remove("client_id");
        assertEquals(400, new Browser().get(uri(noClient)).statusCode());
    }

    private static Map<String, String> errorRedirect(Map<String, String> params) {
        HttpResponse<String> response = new Browser().get(uri(params));
        assertEquals(302, response.statusCode(), response.body());
        URI location = URI.create(response.headers().firstValue("Location").orElseThrow());
        assertTrue(location.toString().startsWith(REDIRECT + "?"), location.toString());
        assertTrue(Browser.setCookie(response).isEmpty(), "no flow is started");
        Map<String, String> query = Browser.query(location);
        assertEquals("st-123", query.get("state"));
        assertEquals(ISSUER, query.get("iss"));
        assertFalse(query.containsKey("code"));
        return query;
    }

    @Test
    void pkceIsRequiredAndOnlyS256IsAccepted() {
        Map<String, String> missing = request();
        missing.remove("code_challenge");
        missing.remove("code_challenge_method");
        assertEquals("invalid_request", errorRedirect(missing).get("error"));

        Map<String, String> plain = request();
        plain.put("code_challenge", "v".repeat(50));
        plain.put("code_challenge_method", "plain");
        assertEquals("invalid_request", errorRedirect(plain).get("error"));

        Map<String, String> noMethod = request();
        noMethod.remove("code_challenge_method");
        assertEquals("invalid_request", errorRedirect(noMethod).get("error"));
    }

    @Test
    void otherErrorsAreRedirectedToTheClient() {
        Map<String, String> noOpenid = request();
        noOpenid.put("scope", "unlock");
        assertEquals("invalid_scope", errorRedirect(noOpenid).get("error"));

        Map<String, String> implicit = request();
        implicit.put("response_type", "token");
        assertEquals("unsupported_response_type", errorRedirect(implicit).get("error"));

        Map<String, String> foreignScope = request();
        foreignScope.put("scope", "openid admin");
        assertEquals("invalid_scope", errorRedirect(foreignScope).get("error"));
    }

    @Test
    void eachAuthorizationStartsItsOwnFlow() {
        Browser first = new Browser();
        first.authorize(uri(request()));
        Browser second = new Browser();
        second.authorize(uri(request()));
        assertNotEquals(first.flow(), second.flow());
    }
}
