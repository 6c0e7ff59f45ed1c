package dev.portcullis.console.tenant;

import io.quarkus.arc.Unremovable;
import io.quarkus.oidc.OidcRedirectFilter;
import io.quarkus.oidc.Redirect;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.regex.Pattern;

/**
 * A step-up sign-in (RFC 9470): an authorization request that starts from the step-up page asks identity-service for a
 * new sign-in ({@code prompt=login}) at the {@code acr_values} and {@code max_age} the API's challenge named. Values
 * that are not well-formed are left out; the request can only ever ask for more, never for less.
 */
@ApplicationScoped
@Unremovable
@Redirect(Redirect.Location.OIDC_AUTHORIZATION)
public class StepUpRedirect implements OidcRedirectFilter {

    static final String PATH = "/me/step-up/";
    static final Pattern ACR_VALUES = Pattern.compile("[A-Za-z0-9:._ -]{1,100}");
    static final Pattern MAX_AGE = Pattern.compile("[0-9]{1,9}");

    @Override
    public void filter(OidcRedirectContext context) {
        String path = context.routingContext().normalizedPath();
        if (path == null || !path.startsWith(PATH)) {
            return;
        }
        context.additionalQueryParams().add("prompt", "login");
        String acr = context.routingContext().request().getParam("acr_values");
        if (acr != null && ACR_VALUES.matcher(acr).matches()) {
            context.additionalQueryParams().add("acr_values", acr);
        }
        String maxAge = context.routingContext().request().getParam("max_age");
        if (maxAge != null && MAX_AGE.matcher(maxAge).matches()) {
            context.additionalQueryParams().add("max_age", maxAge);
        }
    }
}
