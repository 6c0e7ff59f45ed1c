package dev.portcullis.console.form;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A second line behind the form token: a POST whose browser names another site as its {@code Origin} is refused
 * before any page handles it. {@code Origin: null} (what browsers send under the console's
 * {@code Referrer-Policy: no-referrer}) and an absent header leave the decision to the form token.
 */
public class SameOriginForms {

    @ServerRequestFilter
    public void refuseCrossSitePosts(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            return;
        }
        String origin = request.getHeader("Origin");
        if (origin == null || origin.equals("null")) {
            return;
        }
        String authority;
        try {
            authority = URI.create(origin).getRawAuthority();
        } catch (IllegalArgumentException e) {
            authority = null;
        }
        String host = request.getHeader("Host");
        if (authority == null || host == null || !authority.equalsIgnoreCase(host)) {
            throw new FormToken.FormTokenRefusedException();
        }
    }
}
