package dev.portcullis.console.tenant;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * CSRF protection of the tenant pages' forms (double-submit cookie, OWASP): every page with a form gets a random
 * 256-bit token in an HttpOnly, SameSite=Lax cookie and the same token in a hidden field; a POST is carried out only
 * when both are present and equal and, when the browser names an {@code Origin}, it is this console. Another site can
 * neither read the cookie nor make the browser send it with a cross-site POST. (Under this console's
 * {@code Referrer-Policy: no-referrer} browsers send {@code Origin: null} with their own forms; only a named other
 * origin is refused.)
 */
@RequestScoped
public class CsrfGuard {

    public static final String COOKIE = "portcullis-csrf";
    public static final String FIELD = "csrf";

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    RoutingContext request;

    private String token;

    /** The token for this browser's forms, set as a cookie when it has none yet. */
    public String token() {
        if (token == null) {
            Cookie cookie = request.request().getCookie(COOKIE);
            if (cookie != null && wellFormed(cookie.getValue())) {
                token = cookie.getValue();
            } else {
                byte[] bytes = new byte[32];
                RANDOM.nextBytes(bytes);
                token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
                request.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/").setHttpOnly(true)
                        .setSameSite(CookieSameSite.LAX));
            }
        }
        return token;
    }

    /** Refuses a form POST whose token is missing or not this browser's, or that comes from another origin. */
    public void verify(String submitted) {
        Cookie cookie = request.request().getCookie(COOKIE);
        if (submitted == null || cookie == null || !wellFormed(submitted)
                || !MessageDigest.isEqual(submitted.getBytes(StandardCharsets.US_ASCII), cookie.getValue().getBytes(StandardCharsets.US_ASCII))) {
            throw new CsrfRefusedException("The form's CSRF token is missing or does not match");
        }
        String origin = request.request().getHeader("Origin");
        // "null" is what browsers send under Referrer-Policy: no-referrer (this console's): the token alone decides then
        if (origin != null && !origin.equals("null")) {
            String host = request.request().getHeader("Host");
            String authority;
            try {
                authority = URI.create(origin).getRawAuthority();
            } catch (IllegalArgumentException e) {
                authority = null;
            }
            if (authority == null || !authority.equalsIgnoreCase(host)) {
                throw new CsrfRefusedException("The form was sent from another origin: " + origin);
            }
        }
    }

    private static boolean wellFormed(String value) {
        return value != null && value.matches("[A-Za-z0-9_-]{43}");
    }
}
