package dev.portcullis.identity.oidc;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.client.OAuthClientRepository;
import dev.portcullis.identity.login.LoginFlows;
import dev.portcullis.identity.login.LoginPages;
import dev.portcullis.identity.session.SingleSignOn;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validates an authorization request, then starts the sign-in flow that will answer it. */
@ApplicationScoped
public class Authorizations {

    @Inject
    OAuthClientRepository clients;

    @Inject
    LoginFlows flows;

    @Inject
    LoginPages pages;

    @Inject
    IdentityConfig config;

    @Inject
    SingleSignOn singleSignOn;

    /**
     * @param sessionCookie the browser's single sign-on cookie, or null
     */
    public Uni<Response> begin(Map<String, List<String>> params, String sessionCookie) {
        return clients.find(AuthorizationValidation.single(params, "client_id")).flatMap(client -> {
            AuthorizationValidation.Result result = AuthorizationValidation.validate(params, client);
            if (result instanceof AuthorizationValidation.ErrorPage page) {
                return Uni.createFrom().item(pages.error(400, page.message()));
            }
            if (result instanceof AuthorizationValidation.ErrorRedirect error) {
                Map<String, String> parameters = new LinkedHashMap<>();
                parameters.put("error", error.error());
                parameters.put("error_description", error.description());
                parameters.put("state", error.state());
                parameters.put("iss", config.issuer());
                return Uni.createFrom().item(Response.status(Response.Status.FOUND)
                        .header("Location", Redirects.to(error.redirectUri(), parameters))
                        .header("Cache-Control", "no-store")
                        .build());
            }
            AuthorizationRequest request = ((AuthorizationValidation.Valid) result).request();
            return singleSignOn.authorize(request, params, sessionCookie);
        });
    }
}
