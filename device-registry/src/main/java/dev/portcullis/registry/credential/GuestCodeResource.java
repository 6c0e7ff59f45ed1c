package dev.portcullis.registry.credential;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.registry.admin.Checks;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /v1/me/guest-codes}: the signed-in person's guest codes (subject and organization from the access token).
 * Create (the PIN is in this one answer, never again), list, revoke.
 */
@Path("/v1/me/guest-codes")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class GuestCodeResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    GuestCodes guestCodes;

    private record Me(String subject, UUID organization) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<Response> create(GuestCodes.GuestCodeRequest body) {
        Me me = me();
        return guestCodes.create(me.subject(), me.organization(), body)
                .map(code -> Response.status(201).header("Cache-Control", "no-store")
                        .location(URI.create("/v1/me/guest-codes/" + code.id())).entity(code).type(MediaType.APPLICATION_JSON).build());
    }

    @GET
    public Uni<List<GuestCodes.GuestCodeView>> list() {
        Me me = me();
        return guestCodes.mine(me.subject(), me.organization());
    }

    @POST
    @Path("{id}/revoke")
    public Uni<GuestCodes.GuestCodeView> revoke(@PathParam("id") String id) {
        Me me = me();
        return guestCodes.revoke(me.subject(), me.organization(), Checks.pathId(id, "The guest code"));
    }

    private Me me() {
        if (!(identity.getPrincipal() instanceof JsonWebToken token)) {
            throw ProblemException.unauthorized("An access token is required");
        }
        String subject = token.getSubject();
        if (subject == null || subject.isBlank() || subject.length() > 200) {
            throw ProblemException.forbidden("The access token does not name a subject");
        }
        Object org = token.getClaim("org");
        String claimed = org instanceof JsonString json ? json.getString() : org instanceof String text ? text : null;
        try {
            return new Me(subject, UUID.fromString(claimed));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.forbidden("The access token does not name an organization");
        }
    }
}
