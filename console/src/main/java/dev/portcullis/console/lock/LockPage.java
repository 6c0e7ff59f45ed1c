package dev.portcullis.console.lock;

import dev.portcullis.console.operator.SignedInOperator;
import dev.portcullis.console.registry.RegistryClient;
import io.quarkus.qute.Template;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/** {@code /locks/{id}}: the lock's live credentials, the changes it has not confirmed (with their age) and drift. */
@Path("/locks/{id}")
@RolesAllowed({"operator", "owner"})
public class LockPage {

    @Inject
    RegistryClient registry;

    @Inject
    SignedInOperator operator;

    @Inject
    Template lock;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Uni<String> show(@PathParam("id") String id) {
        UUID lockId;
        try {
            lockId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("No lock " + id);
        }
        return Uni.combine().all().unis(registry.lock(operator, lockId), registry.lockCredentials(operator, lockId))
                .with(LockCredentials::of)
                .flatMap(page -> lock.data("page", page).createUni());
    }
}
