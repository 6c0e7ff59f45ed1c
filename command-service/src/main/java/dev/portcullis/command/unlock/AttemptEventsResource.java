package dev.portcullis.command.unlock;

import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NameBinding;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

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
    WatchConfig config;

    @Inject
    JsonWebToken token;

    /** Marks the stream whose attempt must be visible before it starts (an SSE stream cannot turn into a 404 later). */
    @NameBinding
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface VisibleAttempt {
    }

    /** Runs before the stream starts, so an unknown or foreign attempt is a plain problem+json 404. */
    public static final class Visibility {

        @Inject
        ActionAttempts attempts;

        @Inject
        JsonWebToken token;

        @ServerRequestFilter
        @VisibleAttempt
        public Uni<Void> requireVisible(UriInfo uri) {
            Requester requester = Requester.fromToken(token, uri.getQueryParameters().getFirst("organization"));
            return attempts.visibleTo(requester, attemptId(uri.getPathParameters().getFirst("attemptId"))).replaceWithVoid();
        }
    }

    @GET
    @VisibleAttempt
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    public Multi<ActionAttemptView> events(@PathParam("attemptId") String attemptId, @QueryParam("organization") String organization) {
        Requester requester = Requester.fromToken(token, organization);
        return feed.watch(requester, attemptId(attemptId), config.buffer(), null).map(ActionAttemptView::of);
    }

    static UUID attemptId(String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.badRequest("invalid-parameter", "attemptId must be a UUID");
        }
    }
}
