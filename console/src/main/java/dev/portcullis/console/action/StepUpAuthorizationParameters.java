package dev.portcullis.console.action;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.OidcRedirectFilter;
import io.quarkus.oidc.Redirect;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Adds a step-up's {@code acr_values} and {@code max_age} to the authorization request quarkus-oidc sends when
 * the browser, signed out by {@link StepUpPage}, asks for {@code /step-up/signed-in}. Any other sign-in is left
 * as it is.
 */
@ApplicationScoped
@Unremovable
@Redirect(Redirect.Location.OIDC_AUTHORIZATION)
public class StepUpAuthorizationParameters implements OidcRedirectFilter {

    @Override
    public void filter(OidcRedirectContext context) {
        HttpServerRequest request = context.routingContext().request();
        if (!"/step-up/signed-in".equals(request.path())) {
            return;
        }
        String acr = request.getParam("acr");
        if (acr != null && StepUpPage.ACR.matcher(acr).matches()) {
            context.additionalQueryParams().add("acr_values", acr);
        }
        Long maxAge = StepUpPage.maxAge(request.getParam("max_age"));
        if (maxAge != null) {
            context.additionalQueryParams().add("max_age", String.valueOf(maxAge));
        }
        if (acr == null && maxAge == null) {
            // a challenge that names neither still means "sign in again", not "reuse the session"
            context.additionalQueryParams().add("prompt", "login");
        }
    }
}
