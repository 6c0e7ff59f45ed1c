package dev.portcullis.registry.ownership;

import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Operator;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.security.Authenticated;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.UUID;

/**
 * Orphan recovery for operators of the claiming organization: open a claim on a lock (its challenge is returned),
 * then submit the answer the lock showed in recovery mode. Another organization's claim is 404.
 */
@Path("/admin/v1/organizations/{org}/orphan-claims")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class OrphanClaimResource {

    public record ClaimBody(UUID lockId, UUID doorId) {
    }

    public record ProofBody(String signature) {
    }

    /** {@code challenge}: base64 of the 32 random bytes to enter at the lock. */
    @RegisterForReflection
    public record ClaimView(UUID id, UUID lockId, UUID doorId, String challenge, OrphanClaimEntity.Status status, int attemptsLeft,
            OffsetDateTime expiresAt, OffsetDateTime createdAt, UUID newLockId) {
    }

    @Inject
    SecurityIdentity identity;

    @Inject
    OrphanRecovery recovery;

    @Inject
    Clock clock;

    @POST
    public Uni<Response> open(@PathParam("org") String org, ClaimBody body) {
        Operator op = Operator.of(identity, org);
        Checks.body(body);
        UUID lockId = Checks.required(body.lockId(), "lockId");
        UUID doorId = Checks.required(body.doorId(), "doorId");
        return recovery.open(op, lockId, doorId).onFailure().transform(Checks::translate).map(claim -> Response
                .created(URI.create("/admin/v1/organizations/" + op.organizationId() + "/orphan-claims/" + claim.id))
                .entity(view(claim)).type(MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Path("{id}")
    public Uni<ClaimView> get(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        return recovery.claim(op, Checks.pathId(id, "The claim")).map(this::view);
    }

    /** The lock's answer (base64 Ed25519 signature); 422 {@code proof-refused} with the attempts left when it is wrong. */
    @POST
    @Path("{id}/proof")
    public Uni<LockLifecycleResource.Enrollment> prove(@PathParam("org") String org, @PathParam("id") String id, ProofBody body) {
        Operator op = Operator.of(identity, org);
        UUID claimId = Checks.pathId(id, "The claim");
        Checks.body(body);
        String encoded = Checks.required(body.signature(), "signature");
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            throw Checks.invalid("signature must be base64");
        }
        if (signature.length > 128) {
            throw Checks.invalid("signature is longer than any Ed25519 signature");
        }
        return recovery.prove(op, claimId, signature).onFailure().transform(Checks::translate).map(outcome -> {
            if (outcome.recovered() == null) {
                throw Checks.unprocessable("proof-refused", "The answer is not the lock's answer to this claim's challenge")
                        .with("attemptsLeft", recovery.attemptsLeft(outcome.claim())).with("claimStatus", outcome.claim().status);
            }
            return LockLifecycleResource.Enrollment.of(outcome.recovered());
        });
    }

    private ClaimView view(OrphanClaimEntity claim) {
        return new ClaimView(claim.id, claim.lockId, claim.doorId, Base64.getEncoder().encodeToString(claim.challenge),
                claim.statusAt(OffsetDateTime.now(clock)), recovery.attemptsLeft(claim), claim.expiresAt, claim.createdAt, claim.newLockId);
    }
}
