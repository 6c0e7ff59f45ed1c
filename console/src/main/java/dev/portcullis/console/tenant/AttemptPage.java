package dev.portcullis.console.tenant;

import io.quarkus.oidc.AccessTokenCredential;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * {@code /me/attempts/{id}}: an unlock on its way to the lock's acknowledgement, from command-service's action attempt
 * (which shows it only to its requester). Until it is final the page refreshes itself every second (no JavaScript).
 */
@Path("/me/attempts/{id}")
@Authenticated
@Produces(MediaType.TEXT_HTML)
public class AttemptPage {

    @Inject
    TenantApi api;

    @Inject
    AccessTokenCredential token;

    @Inject
    @Location("tenant-attempt.html")
    Template page;

    @GET
    public Uni<String> show(@PathParam("id") String id) {
        UUID attemptId;
        try {
            attemptId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No attempt " + id);
        }
        return api.attempt(token, attemptId)
                .flatMap(attempt -> api.myDoors(token)
                        .map(mine -> Attempt.of(attempt, MyDoors.nameOf(mine, attempt.getString("doorId", "")))))
                .flatMap(attempt -> page.data("attempt", attempt).createUni());
    }
}
