package dev.portcullis.identity.oidc;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The end_session_endpoint (OIDC RP-Initiated Logout 1.0 §2): GET with a query, or POST with a form. */
@Path("/oauth2/logout")
public class LogoutResource {

    @Inject
    Logout logout;

    @CheckedTemplate(basePath = "logout")
    static class Templates {
        static native TemplateInstance signedOut();

        static native TemplateInstance error(String message);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> get(@Context UriInfo uri) {
        return handle(uri.getQueryParameters());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> post(MultivaluedMap<String, String> form) {
        return handle(form);
    }

    private Uni<Response> handle(MultivaluedMap<String, String> parameters) {
        for (List<String> values : parameters.values()) {
            if (values.size() > 1) {
                throw new Logout.Refused("The sign-out request repeats a parameter.");
            }
        }
        return logout.logout(single(parameters, "id_token_hint"), single(parameters, "post_logout_redirect_uri"),
                single(parameters, "state"), single(parameters, "client_id")).map(outcome -> outcome.redirect() != null
                        ? secured(Response.status(302).location(outcome.redirect())).build()
                        : page(200, Templates.signedOut()));
    }

    @ServerExceptionMapper
    public Response refused(Logout.Refused e) {
        return page(400, Templates.error(e.getMessage()));
    }

    private static String single(MultivaluedMap<String, String> parameters, String name) {
        String value = parameters.getFirst(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Response page(int status, TemplateInstance template) {
        return secured(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(template.render())).build();
    }

    private static Response.ResponseBuilder secured(Response.ResponseBuilder response) {
        return response
                .header("Content-Security-Policy", "default-src 'self'")
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
    }
}
