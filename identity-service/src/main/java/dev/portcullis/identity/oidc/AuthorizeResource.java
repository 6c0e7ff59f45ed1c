package dev.portcullis.identity.oidc;

import dev.portcullis.identity.session.SsoSessions;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.RestCookie;

/** The authorization endpoint (RFC 6749 §3.1; OIDC Core §3.1.2): GET and form POST. */
@Path("/oauth2/authorize")
public class AuthorizeResource {

    @Inject
    Authorizations authorizations;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> get(@Context UriInfo uri, @RestCookie(SsoSessions.COOKIE) String session) {
        return authorizations.begin(uri.getQueryParameters(), session);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Uni<Response> post(MultivaluedMap<String, String> form, @RestCookie(SsoSessions.COOKIE) String session) {
        return authorizations.begin(form, session);
    }
}
