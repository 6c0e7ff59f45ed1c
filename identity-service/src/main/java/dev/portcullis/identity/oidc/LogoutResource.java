package dev.portcullis.identity.oidc;

import dev.portcullis.identity.login.LoginPages;
import dev.portcullis.identity.session.SsoSessions;
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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.RestCookie;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The end_session_endpoint (OIDC RP-Initiated Logout 1.0 §2): GET with a query, or POST with a form. */
@Path("/oauth2/logout")
public class LogoutResource {

    @Inject
    Logout logout;

    @Inject
    LoginPages pages;

    @CheckedTemplate(basePath = "logout")
    static class Templates {
        static native TemplateInstance signedOut();

        static native TemplateInstance error(String message);
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> get(@Context UriInfo uri, @RestCookie(SsoSessions.COOKIE) String session) {
        return handle(uri.getQueryParameters(), session, false);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> post(MultivaluedMap<String, String> form, @RestCookie(SsoSessions.COOKIE) String session) {
        return handle(form, session, true);
    }

    private Uni<Response> handle(MultivaluedMap<String, String> parameters, String session, boolean post) {
        for (List<String> values : parameters.values()) {
            if (values.size() > 1) {
                throw new Logout.Refused("The sign-out request repeats a parameter.");
            }
        }
        return logout.logout(single(parameters, "id_token_hint"), single(parameters, "post_logout_redirect_uri"),
                single(parameters, "state"), single(parameters, "client_id"), session, post).map(outcome -> {
                    Response.ResponseBuilder response = outcome.redirect() != null
                            ? secured(Response.status(302).location(outcome.redirect()))
                            : page(200, Templates.signedOut());
                    return outcome.sessionEnded() ? response.cookie(pages.expiredSessionCookie()).build() : response.build();
                });
    }

    @ServerExceptionMapper
    public Response refused(Logout.Refused e) {
        return page(400, Templates.error(e.getMessage())).build();
    }

    private static String single(MultivaluedMap<String, String> parameters, String name) {
        String value = parameters.getFirst(name);
        return value == null || value.isEmpty() ? null : value;
    }

    private static Response.ResponseBuilder page(int status, TemplateInstance template) {
        return secured(Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(template.render()));
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
