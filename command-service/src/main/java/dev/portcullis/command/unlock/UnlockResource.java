package dev.portcullis.command.unlock;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.common.v1.AccessMethod;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Unlock requests from people and partners (client-credentials tokens, Bearer or DPoP-bound, acting in one
 * organization that granted them, chosen with {@code ?organization=}). The answer is the action attempt:
 * 201 when this call created it, 200 when it is a retry of the same Idempotency-Key (no second command is ever sent), 403 problem+json
 * when policy denied it, 202 when policy permits only with a second person's approval (status
 * pending_approval: nothing is sent before that; unapproved, it expires). Its {@code status} says how it
 * ended: succeeded, failed, expired.
 */
@Path("/v1")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
public class UnlockResource {

    /** What an Idempotency-Key may be (REST header, gRPC field). */
    public static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:\\-]{8,128}");

    @Inject
    UnlockService unlocks;

    @Inject
    Approvals approvals;

    @Inject
    JsonWebToken token;

    @POST
    @Path("/doors/{doorId}/unlock")
    public Uni<Response> unlock(@PathParam("doorId") String doorId, @HeaderParam("Idempotency-Key") String idempotencyKey,
            @QueryParam("organization") String organization) {
        Requester requester = Requester.fromToken(token, organization);
        UUID door = uuid(doorId, "doorId");
        if (idempotencyKey == null || !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ProblemException.badRequest("idempotency-key-required",
                    "Send an Idempotency-Key header: 8 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-' (a UUID is ideal)");
        }
        return unlocks.unlock(requester, door, idempotencyKey, AccessMethod.ACCESS_METHOD_APP).map(UnlockResource::respond);
    }

    /** Unlocks of your organization waiting for a second person (two-person rule), except your own. */
    @GET
    @Path("/approvals")
    public Uni<List<ActionAttemptView>> approvals() {
        return approvals.awaiting(Requester.fromToken(token)).map(list -> list.stream().map(ActionAttemptView::of).toList());
    }

    /**
     * Approve as the second person: needs the eligible role for the door (policy decides), a second
     * factor within the last minutes (else an RFC 9470 challenge), and not being the requester. Policy
     * then decides the unlock afresh; the answer is the attempt as it ended.
     */
    @POST
    @Path("/action-attempts/{attemptId}/approve")
    public Uni<ActionAttemptView> approve(@PathParam("attemptId") String attemptId) {
        return approvals.approve(Requester.fromToken(token), uuid(attemptId, "attemptId")).map(ActionAttemptView::of);
    }

    @GET
    @Path("/action-attempts/{attemptId}")
    public Uni<ActionAttemptView> attempt(@PathParam("attemptId") String attemptId, @QueryParam("organization") String organization) {
        Requester requester = Requester.fromToken(token, organization);
        return unlocks.find(requester, uuid(attemptId, "attemptId")).map(ActionAttemptView::of);
    }

    private static Response respond(UnlockService.Outcome outcome) {
        ActionAttemptEntity attempt = outcome.attempt();
        URI location = URI.create("/v1/action-attempts/" + attempt.id);
        if (attempt.status == AttemptStatus.DENIED && attempt.needsStepUp()) {
            throw new ProblemException(401, "step-up-required", "Step-up required",
                    "This door needs a stronger or more recent sign-in: sign in again as the WWW-Authenticate challenge asks,"
                            + " then send the unlock with a new Idempotency-Key")
                    .with("actionAttemptId", attempt.id.toString())
                    .with("reasons", attempt.reasonList())
                    .header("WWW-Authenticate", StepUpChallenge.of(attempt));
        }
        if (attempt.status == AttemptStatus.DENIED) {
            throw new ProblemException(403, "unlock-denied", "Unlock denied", "Policy denied this unlock")
                    .with("actionAttemptId", attempt.id.toString())
                    .with("reasons", attempt.reasonList());
        }
        if (attempt.status == AttemptStatus.PENDING_APPROVAL) {
            // Permitted by policy, but nothing is sent until a second person approves (two-person rule).
            return Response.accepted(ActionAttemptView.of(attempt)).location(location).build();
        }
        return Response.status(outcome.created() ? Response.Status.CREATED : Response.Status.OK)
                .location(location)
                .entity(ActionAttemptView.of(attempt))
                .build();
    }

    private static UUID uuid(String value, String name) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-parameter", name + " must be a UUID");
        }
    }
}
