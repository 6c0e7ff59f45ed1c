package dev.portcullis.audit.query;

import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code GET /v1/audit}: the caller's organization's entries, newest first. Operators see every entry
 * of their organization; anyone else only the entries they are the actor of.
 */
@Path("/v1/audit")
@Authenticated
public class AuditResource {

    @Inject
    SecurityIdentity identity;

    @Inject
    AuditQuery query;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AuditPage> list(@RestQuery String doorId, @RestQuery String lockId, @RestQuery String actionAttemptId,
            @RestQuery String actorId, @RestQuery String type, @RestQuery String outcome, @RestQuery String method,
            @RestQuery String credentialId, @RestQuery String propertyId, @RestQuery String from, @RestQuery String to, @RestQuery String limit, @RestQuery String after) {
        AuditFilter filter = AuditFilter.parse(new AuditFilter.Parameters(doorId, lockId, actionAttemptId, actorId, type, outcome,
                method, credentialId, propertyId, from, to, limit, after));
        return query.page(Caller.of(identity), filter);
    }
}
