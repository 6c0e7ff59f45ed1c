package dev.portcullis.registry.ownership;

import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.lock.LockEntity;
import dev.portcullis.registry.lock.LockStatus;
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
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Operators' lifecycle actions on their locks: factory reset, replacement, ownership transfer (initiate, accept,
 * cancel or decline). Problems as everywhere in the admin API: another organization's lock or transfer is 404,
 * a lock or transfer in the wrong state 409.
 */
@Path("/admin/v1/organizations/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class LockLifecycleResource {

    public record ReplacementBody(String serialNumber, UUID lockModelId) {
    }

    public record TransferBody(UUID toOrganizationId, OffsetDateTime expiresAt) {
    }

    public record AcceptanceBody(UUID doorId) {
    }

    /** A lock that waits for enrollment, with its one-time secret (shown only here, once). */
    @RegisterForReflection
    public record Enrollment(UUID lockId, UUID doorId, LockStatus status, int keyEpoch, String enrollmentSecret,
            OffsetDateTime enrollmentSecretExpiresAt) {

        public static Enrollment of(LockLifecycle.AwaitingEnrollment awaiting) {
            LockEntity lock = awaiting.lock();
            return new Enrollment(lock.id, lock.doorId, lock.status, lock.keyEpoch, awaiting.enrollmentSecret(), awaiting.secretExpiresAt());
        }
    }

    @RegisterForReflection
    public record TransferView(UUID id, UUID lockId, UUID fromOrganizationId, UUID toOrganizationId, LockTransferEntity.Status status,
            OffsetDateTime expiresAt, OffsetDateTime createdAt, OffsetDateTime decidedAt) {

        static TransferView of(LockTransferEntity transfer, OffsetDateTime now) {
            return new TransferView(transfer.id, transfer.lockId, transfer.organizationId, transfer.toOrganizationId,
                    transfer.statusAt(now), transfer.expiresAt, transfer.createdAt, transfer.decidedAt);
        }
    }

    @Inject
    SecurityIdentity identity;

    @Inject
    LockLifecycle lifecycle;

    @Inject
    java.time.Clock clock;

    /** A one-time secret for a registered lock to enroll with (shown once); its issuer becomes the lock's first admin. */
    @POST
    @Path("locks/{id}/enrollment-secret")
    public Uni<Enrollment> enrollmentSecret(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        return lifecycle.issueEnrollmentSecret(op, Checks.pathId(id, "The lock")).onFailure().transform(Checks::translate).map(Enrollment::of);
    }

    /** The lock (physically reset, or to be) must enroll again with new keys; the old ones are revoked. */
    @POST
    @Path("locks/{id}/factory-reset")
    public Uni<Enrollment> factoryReset(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        return lifecycle.factoryReset(op, Checks.pathId(id, "The lock")).onFailure().transform(Checks::translate).map(Enrollment::of);
    }

    /** A new lock (new serial number) replaces this one on its door; this one is retired. */
    @POST
    @Path("locks/{id}/replacement")
    public Uni<Response> replace(@PathParam("org") String org, @PathParam("id") String id, ReplacementBody body) {
        Operator op = Operator.of(identity, org);
        UUID lockId = Checks.pathId(id, "The lock");
        Checks.body(body);
        String serial = Checks.name(body.serialNumber(), "serialNumber", 128);
        return lifecycle.replace(op, lockId, serial, body.lockModelId()).onFailure().transform(Checks::translate).map(awaiting -> Response
                .created(URI.create("/admin/v1/organizations/" + op.organizationId() + "/locks/" + awaiting.lock().id))
                .entity(Enrollment.of(awaiting)).type(MediaType.APPLICATION_JSON).build());
    }

    /** Offers the lock to another organization; nothing changes until it accepts. */
    @POST
    @Path("locks/{id}/transfers")
    public Uni<Response> initiateTransfer(@PathParam("org") String org, @PathParam("id") String id, TransferBody body) {
        Operator op = Operator.of(identity, org);
        UUID lockId = Checks.pathId(id, "The lock");
        Checks.body(body);
        UUID to = Checks.required(body.toOrganizationId(), "toOrganizationId");
        OffsetDateTime expiresAt = Checks.required(body.expiresAt(), "expiresAt");
        return lifecycle.initiateTransfer(op, lockId, to, expiresAt).onFailure().transform(Checks::translate).map(transfer -> Response
                .created(URI.create("/admin/v1/organizations/" + op.organizationId() + "/lock-transfers/" + transfer.id))
                .entity(TransferView.of(transfer, now())).type(MediaType.APPLICATION_JSON).build());
    }

    /** A transfer, for the giving or the receiving organization. */
    @GET
    @Path("lock-transfers/{id}")
    public Uni<TransferView> transfer(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        return lifecycle.transfer(op, Checks.pathId(id, "The transfer")).map(transfer -> TransferView.of(transfer, now()));
    }

    /** The receiving organization places the lock on one of its doors; it then enrolls with the secret returned. */
    @POST
    @Path("lock-transfers/{id}/acceptance")
    public Uni<Enrollment> accept(@PathParam("org") String org, @PathParam("id") String id, AcceptanceBody body) {
        Operator op = Operator.of(identity, org);
        UUID transferId = Checks.pathId(id, "The transfer");
        Checks.body(body);
        UUID doorId = Checks.required(body.doorId(), "doorId");
        return lifecycle.acceptTransfer(op, transferId, doorId).onFailure().transform(Checks::translate).map(Enrollment::of);
    }

    /** The giving organization withdraws the offer, or the receiving one declines it. */
    @POST
    @Path("lock-transfers/{id}/cancellation")
    public Uni<TransferView> cancel(@PathParam("org") String org, @PathParam("id") String id) {
        Operator op = Operator.of(identity, org);
        return lifecycle.cancelTransfer(op, Checks.pathId(id, "The transfer")).map(transfer -> TransferView.of(transfer, now()));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock);
    }
}
