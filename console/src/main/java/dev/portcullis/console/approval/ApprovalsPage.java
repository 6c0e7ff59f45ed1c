package dev.portcullis.console.approval;

import dev.portcullis.console.action.Peers;
import dev.portcullis.console.action.StepUpRequiredException;
import dev.portcullis.console.form.FormToken;
import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.peer.PeerRefusedException;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateData;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The approvals inbox of the two-person rule: {@code /approvals} lists the organization's unlocks waiting for a
 * second person (command-service {@code GET /v1/approvals} with the operator's token: never the operator's own),
 * each with an Approve button; approving is command-service's {@code POST /v1/action-attempts/{id}/approve}, which
 * checks the role, the fresh second factor and that the approver is not the requester, has policy decide again and
 * sends the unlock. The page shows how it ended; a refusal (403, 409) is shown with command-service's reason, and
 * a request for a fresher sign-in sends the operator through step-up and back here.
 */
@Path("/approvals")
@RolesAllowed({"operator", "owner"})
@Produces(MediaType.TEXT_HTML)
public class ApprovalsPage {

    @Inject
    Peers peers;

    @Inject
    SignedInOperator operator;

    @Inject
    FormToken forms;

    @Inject
    @Location("approvals")
    Template inbox;

    @Inject
    @Location("approval-result")
    Template result;

    /** An unlock waiting for approval, or how one ended. */
    @TemplateData
    public record Attempt(String id, String doorId, String door, String requester, String requesterType, String status,
            List<String> reasons, String createdAt, String eligibleRole, String approvalExpiresAt) {

        static Attempt of(JsonObject a, Map<String, String> doorNames) {
            JsonObject requester = a.getJsonObject("requester", new JsonObject());
            JsonObject approval = a.getJsonObject("approval", new JsonObject());
            List<String> reasons = new ArrayList<>();
            a.getJsonArray("reasons", new JsonArray()).forEach(r -> reasons.add(String.valueOf(r)));
            String door = a.getString("doorId");
            return new Attempt(a.getString("id"), door, doorNames.getOrDefault(door, door), requester.getString("id"),
                    requester.getString("type"), a.getString("status"), reasons, a.getString("createdAt"),
                    approval.getString("eligibleRole"), approval.getString("expiresAt"));
        }

        public boolean succeeded() {
            return "succeeded".equals(status);
        }

        public boolean authorized() {
            return "authorized".equals(status) || "dispatched".equals(status);
        }

        public boolean denied() {
            return "denied".equals(status);
        }
    }

    @GET
    public Uni<String> inbox() {
        return Uni.combine().all().unis(peers.getArray(operator, peers.command("approvals")), doorNames()).asTuple()
                .flatMap(found -> {
                    List<Attempt> waiting = new ArrayList<>();
                    for (int i = 0; i < found.getItem1().size(); i++) {
                        waiting.add(Attempt.of(found.getItem1().getJsonObject(i), found.getItem2()));
                    }
                    return inbox.data("waiting", waiting).data("csrf", forms.of(operator)).createUni();
                });
    }

    @POST
    @Path("{id}/approve")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<String> approve(@PathParam("id") String id, @FormParam(FormToken.FIELD) String csrf) {
        forms.check(operator, csrf);
        UUID attempt;
        try {
            attempt = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No unlock " + id);
        }
        return peers.post(operator, peers.command("action-attempts/" + attempt + "/approve"), null)
                .onFailure(PeerRefusedException.class).transform(e -> ((PeerRefusedException) e).titled("Approval refused"))
                .onFailure(StepUpRequiredException.class).transform(e -> ((StepUpRequiredException) e).returningTo("/approvals"))
                .flatMap(ended -> doorNames().flatMap(names -> result.data("attempt", Attempt.of(ended, names)).createUni()));
    }

    private Uni<Map<String, String>> doorNames() {
        return peers.getArray(operator, peers.registry(operator, "doors")).map(doors -> {
            Map<String, String> names = new LinkedHashMap<>();
            for (int i = 0; i < doors.size(); i++) {
                names.put(doors.getJsonObject(i).getString("id"), doors.getJsonObject(i).getString("name"));
            }
            return names;
        });
    }
}
