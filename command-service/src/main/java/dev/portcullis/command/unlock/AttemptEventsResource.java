package dev.portcullis.command.unlock;

import dev.portcullis.command.partner.WatchConfig;
import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestMulti;
import org.jboss.resteasy.reactive.RestStreamElementType;

/**
 * An action attempt as it changes, as server-sent events: its current state first, then each change; the
 * stream ends once the attempt is final. Visible as {@code GET /v1/action-attempts/{id}} is (its requester,
 * operators of its organization; to anyone else it does not exist: 404 before any event).
 */
@Path("/v1/action-attempts/{attemptId}/events")
@Authenticated
public class AttemptEventsResource {

    @Inject
    AttemptChangeFeed feed;

    @Inject
    ActionAttempts attempts;

    @Inject
    WatchConfig config;

    @Inject
    JsonWebToken token;

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ActionAttemptView> events(@PathParam("attemptId") String attemptId, @QueryParam("organization") String organization) {
        Requester requester = Requester.fromToken(token, organization);
        UUID id;
        try {
            id = UUID.fromString(attemptId);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-parameter", "attemptId must be a UUID");
        }
        // Visibility is settled before the stream starts, so an unknown or foreign attempt is a plain 404.
        return RestMulti.fromUniResponse(attempts.visibleTo(requester, id),
                visible -> feed.watch(requester, id, config.buffer(), null).map(ActionAttemptView::of));
    }
}
