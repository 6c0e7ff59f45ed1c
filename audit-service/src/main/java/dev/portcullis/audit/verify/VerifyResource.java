package dev.portcullis.audit.verify;

import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestQuery;

/** {@code GET /v1/audit/verify?from=&to=}: recomputes the chain over a range (operators only). */
@Path("/v1/audit/verify")
public class VerifyResource {

    @Inject
    ChainVerification verification;

    @GET
    @RolesAllowed("operator")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<VerificationReport> verify(@RestQuery String from, @RestQuery String to) {
        return verification.verify(sequence("from", from), sequence("to", to));
    }

    private static Long sequence(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            long sequence = Long.parseLong(value);
            if (sequence >= 1) {
                return sequence;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("invalid-parameter", name + " must be a sequence number (a whole number from 1)")
                .with("parameter", name);
    }
}
