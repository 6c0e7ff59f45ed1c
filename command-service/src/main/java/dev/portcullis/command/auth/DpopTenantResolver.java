package dev.portcullis.command.auth;

import io.quarkus.oidc.TenantResolver;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Picks the OIDC tenant by the Authorization scheme: {@code DPoP} tokens (RFC 9449 §7.1) go to the
 * {@code dpop} tenant, which verifies the proof and the {@code cnf.jkt} binding; everything else to the
 * default (Bearer) tenant. quarkus-oidc handles one scheme per tenant, so the same issuer is configured twice.
 */
@ApplicationScoped
public class DpopTenantResolver implements TenantResolver {

    public static final String DPOP_TENANT = "dpop";

    @Override
    public String resolve(RoutingContext context) {
        String authorization = context.request().getHeader("Authorization");
        return authorization != null && authorization.regionMatches(true, 0, "DPoP ", 0, 5) ? DPOP_TENANT : null;
    }
}
