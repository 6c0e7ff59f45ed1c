package dev.portcullis.console.lockdown;

import dev.portcullis.console.action.Peers;
import dev.portcullis.console.action.StepUpRequiredException;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The lockdown switch per property ({@link LockdownListPage} lists them): {@code /properties/{id}/lockdown} is the
 * confirmation page (with the reason); the POST declares it through
 * policy's {@code POST properties/{id}/lockdown} (or lifts it, {@code DELETE}) with the operator's token. Policy
 * wants a second factor within 15 minutes: its 401 challenge sends the operator through step-up and back to the
 * confirmation page, the reason kept.
 */
@Path("/properties/{id}/lockdown")
@RolesAllowed({"operator", "owner"})
@Produces(MediaType.TEXT_HTML)
public class LockdownPages {

    static final int MAX_REASON = 200;

    @Inject
    Peers peers;

    @Inject
    SignedInOperator operator;

    @Inject
    FormToken forms;

    @Inject
    @Location("lockdown-confirm")
    Template confirm;

    @GET
    public Uni<String> confirm(@PathParam("id") String id, @QueryParam("reason") String reason) {
        UUID property = uuid(id);
        return peers.getObject(operator, peers.policy(operator, "properties/" + property))
                .flatMap(found -> confirm.data("property", PropertyLockdown.of(found)).data("reason", reason == null ? "" : reason)
                        .data("csrf", forms.of(operator)).createUni());
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> declare(@PathParam("id") String id, @FormParam(FormToken.FIELD) String csrf, @FormParam("reason") String reason) {
        forms.check(operator, csrf);
        UUID property = uuid(id);
        if (reason == null || reason.isBlank() || reason.strip().length() > MAX_REASON) {
            throw new PeerRefusedException(400, "A reason is needed", "Say why the property is locked down (1 to " + MAX_REASON
                    + " characters): it is recorded with the lockdown.");
        }
        String why = reason.strip();
        String back = "/properties/" + property + "/lockdown?reason=" + URLEncoder.encode(why, StandardCharsets.UTF_8);
        return peers.post(operator, peers.policy(operator, "properties/" + property + "/lockdown"), new JsonObject().put("reason", why))
                .onFailure(PeerRefusedException.class).transform(e -> ((PeerRefusedException) e).titled("Lockdown refused"))
                .onFailure(StepUpRequiredException.class).transform(e -> ((StepUpRequiredException) e).returningTo(back))
                .map(ignored -> Response.seeOther(URI.create("/lockdown")).build());
    }

    @POST
    @Path("lift")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> lift(@PathParam("id") String id, @FormParam(FormToken.FIELD) String csrf) {
        forms.check(operator, csrf);
        UUID property = uuid(id);
        return peers.delete(operator, peers.policy(operator, "properties/" + property + "/lockdown"))
                .onFailure(PeerRefusedException.class).transform(e -> ((PeerRefusedException) e).titled("Lifting refused"))
                .onFailure(StepUpRequiredException.class).transform(e -> ((StepUpRequiredException) e).returningTo(
                        "/properties/" + property + "/lockdown"))
                .map(ignored -> Response.seeOther(URI.create("/lockdown")).build());
    }

    static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No property " + id);
        }
    }
}
