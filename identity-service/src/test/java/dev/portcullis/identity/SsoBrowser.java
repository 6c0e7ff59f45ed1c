package dev.portcullis.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.demo.DemoSeed;
import dev.portcullis.identity.secret.Tokens;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.minidev.json.JSONObject;
import net.minidev.json.parser.JSONParser;

/**
 * A browser over plain HTTP with a real cookie jar (flow and single sign-on cookies), no redirects
 * followed; authorization requests for the e2e client with PKCE; the token exchange the client does.
 */
public final class SsoBrowser {

    private static final Pattern FLOW = Pattern.compile("<input type=\"hidden\" name=\"flow\" value=\"([^\"]+)\">");
    private static final Pattern CSRF = Pattern.compile("<input type=\"hidden\" name=\"csrf\" value=\"([^\"]+)\">");

    private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).cookieHandler(cookies).build();
    private String flow;
    private String csrf;
    private String verifier;
    private final String source = Browser.randomSource();

    /** Sends an authorization request for the e2e client with the extra parameters (e.g. prompt, max_age, acr_values). */
    public HttpResponse<String> authorize(Map<String, String> extra) {
        verifier = Tokens.random256();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", DemoSeed.E2E_CLIENT);
        params.put("redirect_uri", DemoSeed.E2E_REDIRECT);
        params.put("scope", "openid");
        params.put("state", "st");
        params.put("nonce", "n-1");
        params.put("code_challenge", Tokens.s256(verifier));
        params.put("code_challenge_method", "S256");
        params.putAll(extra);
        return get("/oauth2/authorize?" + form(params));
    }

    public static URI authorizeUri(String verifier, Map<String, String> extra) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("response_type", "code");
        params.put("client_id", DemoSeed.E2E_CLIENT);
        params.put("redirect_uri", DemoSeed.E2E_REDIRECT);
        params.put("scope", "openid");
        params.put("state", "st");
        params.put("code_challenge", Tokens.s256(verifier));
        params.put("code_challenge_method", "S256");
        params.putAll(extra);
        return URI.create(IdentityTestProfile.ISSUER + "/oauth2/authorize?" + form(params));
    }

    public HttpResponse<String> get(String path) {
        return remember(send(HttpRequest.newBuilder(URI.create(IdentityTestProfile.ISSUER + path)).GET()));
    }

    public HttpResponse<String> post(String path, Map<String, String> form) {
        return remember(send(HttpRequest.newBuilder(URI.create(IdentityTestProfile.ISSUER + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form)))));
    }

    public HttpResponse<String> password(String username, String password) {
        return post("/login", Map.of("flow", flow, "username", username, "password", password));
    }

    public HttpResponse<String> totp(String code) {
        return post("/login/totp", Map.of("flow", flow, "code", code));
    }

    public HttpResponse<String> recovery(String code) {
        return post("/login/recovery", Map.of("flow", flow, "recovery_code", code));
    }

    public HttpResponse<String> enrollTotp(String code) {
        return post("/login/enroll-totp", Map.of("flow", flow, "code", code));
    }

    public String flow() {
        return flow;
    }

    public String csrf() {
        return csrf;
    }

    public Optional<String> sessionCookie() {
        return cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("portcullis_session"))
                .map(HttpCookie::getValue).findFirst();
    }

    public void dropSessionCookie() {
        cookies.getCookieStore().removeAll();
    }

    /** The code from a redirect to the client, asserting success. */
    public static String code(HttpResponse<String> redirect) {
        assertEquals(302, redirect.statusCode(), redirect.body());
        Map<String, String> query = Browser.query(URI.create(redirect.headers().firstValue("Location").orElseThrow()));
        assertEquals(null, query.get("error"), String.valueOf(query));
        return query.get("code");
    }

    /** The error of a redirect to the client. */
    public static String error(HttpResponse<String> redirect) {
        assertEquals(302, redirect.statusCode(), redirect.body());
        return Browser.query(URI.create(redirect.headers().firstValue("Location").orElseThrow())).get("error");
    }

    /** Redeems a code (with the verifier of this browser's latest authorization request); the access token's claims. */
    public JWTClaimsSet redeem(String code) {
        return redeem(code, verifier);
    }

    public static JWTClaimsSet redeem(String code, String verifier) {
        HttpResponse<String> response = send(HttpClient.newHttpClient(), HttpRequest.newBuilder(URI.create(IdentityTestProfile.ISSUER + "/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("grant_type", "authorization_code", "code", code,
                        "redirect_uri", DemoSeed.E2E_REDIRECT, "client_id", DemoSeed.E2E_CLIENT, "code_verifier", verifier)))));
        assertEquals(200, response.statusCode(), response.body());
        try {
            JSONObject json = (JSONObject) new JSONParser(JSONParser.MODE_PERMISSIVE).parse(response.body());
            return SignedJWT.parse((String) json.get("access_token")).getJWTClaimsSet();
        } catch (ParseException | net.minidev.json.parser.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> remember(HttpResponse<String> response) {
        String body = response.body();
        if (body != null) {
            Matcher matcher = FLOW.matcher(body);
            if (matcher.find()) {
                flow = matcher.group(1);
            }
            matcher = CSRF.matcher(body);
            if (matcher.find()) {
                csrf = matcher.group(1);
            }
        }
        return response;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        // Each browser is its own client address (the test profile trusts 127.0.0.1 as a proxy).
        return send(http, request.header("X-Forwarded-For", source));
    }

    private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request) {
        try {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static String form(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
