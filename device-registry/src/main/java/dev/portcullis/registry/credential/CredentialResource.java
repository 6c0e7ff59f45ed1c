package dev.portcullis.registry.credential;

import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.admin.Events.Cause;
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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Operators' credentials: issue for a door's lock (PIN shown once), revoke (two-phase), and the inventory
 * of what is live on which lock and which changes the locks have not confirmed yet, with their age.
 */
@Path("/admin/v1/organizations/{org}")
@Authenticated
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CredentialResource {

    public record RevokeBody(String reason) {
    }

    @RegisterForReflection
    public record Drift(UUID credentialId, String kind, OffsetDateTime detectedAt) {
    }

    /** One lock's credentials: live (confirmed), changes waiting for the lock, and open reconciliation findings. */
    @RegisterForReflection
    public record LockCredentialsView(UUID lockId, List<CredentialView> live, List<CredentialView> pendingIssues,
            List<CredentialView> pendingRevocations, List<Drift> drift) {
    }

    @Inject
    SecurityIdentity identity;

    @Inject
    Credentials credentials;

    @Inject
    Db db;

    @Inject
    Clock clock;

    @POST
    @Path("/doors/{door}/credentials")
    public Uni<Response> issue(@PathParam("org") String org, @PathParam("door") String door, IssueRequest body) {
        Operator operator = Operator.of(identity, org);
        return credentials.issue(operator, Checks.pathId(door, "The door"), Checks.body(body))
                .map(issued -> Response.status(201)
                        .header("Cache-Control", "no-store")
                        .entity(CredentialView.of(issued.credential(), clock.instant(), issued.pin()))
                        .type(MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Path("/credentials")
    public Uni<List<CredentialView>> list(@PathParam("org") String org, @QueryParam("lockId") String lockId,
            @QueryParam("doorId") String doorId, @QueryParam("unitId") String unitId, @QueryParam("state") String state,
            @QueryParam("holderSubjectId") String holder, @QueryParam("limit") Integer limit) {
        Operator operator = Operator.of(identity, org);
        int size = limit == null ? 200 : limit;
        if (size < 1 || size > 1000) {
            throw Checks.invalid("limit must be 1 to 1000");
        }
        return credentials.list(operator.organizationId(), queryId(lockId, "lockId"), queryId(doorId, "doorId"),
                queryId(unitId, "unitId"), state(state), holder, size)
                .map(found -> found.stream().map(c -> CredentialView.of(c, clock.instant(), null)).toList());
    }

    @GET
    @Path("/credentials/{credential}")
    public Uni<CredentialView> get(@PathParam("org") String org, @PathParam("credential") String credential) {
        Operator operator = Operator.of(identity, org);
        return credentials.get(operator.organizationId(), Checks.pathId(credential, "The credential"))
                .map(c -> CredentialView.of(c, clock.instant(), null));
    }

    @POST
    @Path("/credentials/{credential}/revoke")
    public Uni<CredentialView> revoke(@PathParam("org") String org, @PathParam("credential") String credential, RevokeBody body) {
        Operator operator = Operator.of(identity, org);
        String reason = body == null || body.reason() == null ? "operator" : Checks.name(body.reason(), "reason", 200);
        return credentials.revoke(operator.organizationId(), Checks.pathId(credential, "The credential"), reason,
                Cause.operator(operator.subject()), null)
                .map(c -> CredentialView.of(c, clock.instant(), null));
    }

    @Inject
    Turnovers turnovers;

    @Inject
    OfflineCodeIssuer offlineCodes;

    /** Gives the lock a new offline-code secret (rotating the previous one): 201 with the secret's credential (never its bytes). */
    @POST
    @Path("/locks/{lock}/offline-code-secret")
    public Uni<Response> offlineSecret(@PathParam("org") String org, @PathParam("lock") String lock) {
        Operator operator = Operator.of(identity, org);
        UUID lockId = Checks.pathId(lock, "The lock");
        return db.one("SELECT door_id FROM lock WHERE id = $1 AND organization_id = $2 AND status <> 'RETIRED'", row -> row.getUUID(0),
                lockId, operator.organizationId())
                .flatMap(door -> {
                    if (door == null) {
                        throw dev.portcullis.kit.problem.ProblemException.notFound("The lock");
                    }
                    return credentials.issueOfflineSecret(operator, door);
                })
                .map(issued -> Response.status(201).entity(CredentialView.of(issued.credential(), clock.instant(), null))
                        .type(MediaType.APPLICATION_JSON).build());
    }

    /** Issues an offline code (shown once) for a window: 201. */
    @POST
    @Path("/locks/{lock}/offline-codes")
    public Uni<Response> offlineCode(@PathParam("org") String org, @PathParam("lock") String lock, OfflineCodeIssuer.CodeRequest body) {
        Operator operator = Operator.of(identity, org);
        return offlineCodes.issue(operator, Checks.pathId(lock, "The lock"), body)
                .map(code -> Response.status(201).header("Cache-Control", "no-store").entity(code).type(MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Path("/locks/{lock}/offline-codes")
    public Uni<List<OfflineCodeIssuer.IssuedCode>> offlineCodes(@PathParam("org") String org, @PathParam("lock") String lock) {
        Operator operator = Operator.of(identity, org);
        return offlineCodes.list(operator.organizationId(), Checks.pathId(lock, "The lock"));
    }

    /** Moves a unit to a new tenant: 202 with the report (pending until every lock confirmed). */
    @POST
    @Path("/units/{unit}/turnover")
    public Uni<Response> turnover(@PathParam("org") String org, @PathParam("unit") String unit, Turnovers.TurnoverRequest body) {
        Operator operator = Operator.of(identity, org);
        return turnovers.start(operator, Checks.pathId(unit, "The unit"), body)
                .map(report -> Response.status(202).entity(report).type(MediaType.APPLICATION_JSON)
                        .location(java.net.URI.create("/admin/v1/organizations/" + org + "/turnovers/" + report.id())).build());
    }

    @GET
    @Path("/turnovers/{turnover}")
    public Uni<Turnovers.Report> turnoverReport(@PathParam("org") String org, @PathParam("turnover") String turnover) {
        Operator operator = Operator.of(identity, org);
        return turnovers.report(operator.organizationId(), Checks.pathId(turnover, "The turnover"));
    }

    @GET
    @Path("/locks/{lock}/credentials")
    public Uni<LockCredentialsView> onLock(@PathParam("org") String org, @PathParam("lock") String lock) {
        Operator operator = Operator.of(identity, org);
        UUID lockId = Checks.pathId(lock, "The lock");
        return db.one("SELECT id FROM lock WHERE id = $1 AND organization_id = $2", row -> row.getUUID(0), lockId, operator.organizationId())
                .flatMap(found -> {
                    if (found == null) {
                        throw dev.portcullis.kit.problem.ProblemException.notFound("The lock");
                    }
                    return credentials.list(operator.organizationId(), lockId, null, null, null, null, 1000);
                })
                .flatMap(all -> db.list("SELECT credential_id, kind, detected_at FROM credential_drift WHERE lock_id = $1"
                        + " AND resolved_at IS NULL ORDER BY detected_at", row -> new Drift(row.getUUID(0), row.getString(1),
                                row.getOffsetDateTime(2)), lockId)
                        .map(drift -> {
                            List<CredentialView> views = all.stream().map(c -> CredentialView.of(c, clock.instant(), null)).toList();
                            return new LockCredentialsView(lockId,
                                    views.stream().filter(v -> v.state().equals("active")).toList(),
                                    views.stream().filter(v -> v.state().equals("sync_pending")).toList(),
                                    views.stream().filter(v -> v.state().equals("revoke_pending")).toList(), drift);
                        }));
    }

    private static UUID queryId(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Checks.invalid(field + " must be a UUID");
        }
    }

    private static CredentialState state(String value) {
        if (value == null) {
            return null;
        }
        try {
            return CredentialState.of(value.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Checks.invalid("state must be sync_pending, active, revoke_pending or revoked");
        }
    }
}
