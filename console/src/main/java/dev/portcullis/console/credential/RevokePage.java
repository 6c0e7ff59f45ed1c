package dev.portcullis.console.credential;

import dev.portcullis.console.action.Peers;
import dev.portcullis.console.form.FormToken;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerRefusedException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;

/**
 * Revoking a credential from its lock's page: {@code GET /credentials/{id}/revoke} asks for confirmation (and a
 * reason), {@code POST} sends device-registry's two-phase revocation ({@code POST /credentials/{id}/revoke}) with
 * the operator's token and returns to the lock page, where it waits as "revoke pending" until the lock confirms.
 */
@Path("/credentials/{id}/revoke")
@RolesAllowed({"operator", "owner"})
public class RevokePage {

    @Inject
    Peers peers;

    @Inject
    SignedInOperator operator;

    @Inject
    FormToken forms;

    @Inject
    @Location("credential-revoke")
    Template confirm;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> confirm(@PathParam("id") String id) {
        UUID credential = id(id);
        return peers.getObject(operator, peers.registry(operator, "credentials/" + credential))
                .flatMap(found -> confirm.data("credential", found).data("csrf", forms.of(operator)).createUni());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> revoke(@PathParam("id") String id, @FormParam(FormToken.FIELD) String csrf, @FormParam("reason") String reason) {
        forms.check(operator, csrf);
        UUID credential = id(id);
        JsonObject body = new JsonObject();
        if (reason != null && !reason.isBlank()) {
            body.put("reason", reason.strip());
        }
        return peers.post(operator, peers.registry(operator, "credentials/" + credential + "/revoke"), body)
                .onFailure(PeerRefusedException.class).transform(e -> ((PeerRefusedException) e).titled("Revocation refused"))
                .map(revoked -> Response.seeOther(URI.create(revoked.getString("lockId") == null ? "/portfolio"
                        : "/locks/" + UUID.fromString(revoked.getString("lockId")))).build());
    }

    static UUID id(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No credential " + id);
        }
    }
}
