package dev.portcullis.registry.credential;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.policy.v1.EndTenancyRequest;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.admin.Events.Cause;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Tenant turnover: one call moves a unit to a new tenant. Every credential issued for the unit, and every
 * credential of the previous tenants elsewhere in the property, is revoked (two-phase: each counts only
 * once its lock confirms); policy-service revokes the previous tenants' own grants at the property. The
 * report lists what is confirmed and what is still pending, with its age. Repeating a turnover is harmless.
 */
@ApplicationScoped
public class Turnovers {

    private static final Logger LOG = Logger.getLogger(Turnovers.class);

    @RegisterForReflection
    public record TurnoverRequest(List<String> previousTenantSubjectIds, String reason) {
    }

    @RegisterForReflection
    public record Report(UUID id, UUID unitId, OffsetDateTime requestedAt, String requestedBy, List<String> previousTenantSubjectIds,
            int credentialsConfirmed, int credentialsPending, Long oldestPendingSeconds, List<CredentialView> credentials,
            List<String> grantsRevoked, String grantsError, boolean complete) {
    }

    @Inject
    Db db;

    @Inject
    Credentials credentials;

    @Inject
    CredentialSync sync;

    @Inject
    Clock clock;

    @GrpcClient("policy")
    PolicyService policy;

    private record Unit(UUID id, UUID propertyId, String name) {
    }

    private record Started(Unit unit, List<String> subjects, List<Credential> revoked) {
    }

    public Uni<Report> start(Operator operator, UUID unitId, TurnoverRequest request) {
        TurnoverRequest body = request == null ? new TurnoverRequest(null, null) : request;
        String reason = body.reason() == null ? "tenant_turnover" : Checks.name(body.reason(), "reason", 200);
        List<String> named = body.previousTenantSubjectIds() == null ? List.of() : body.previousTenantSubjectIds();
        if (named.size() > 20) {
            throw Checks.invalid("previousTenantSubjectIds: at most 20");
        }
        List<String> given = named.stream().map(subject -> Checks.name(subject, "previousTenantSubjectIds[]", 200)).toList();
        Instant now = clock.instant();
        OffsetDateTime at = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
        UUID turnoverId = UUID.randomUUID();
        return db.inTransaction(tx -> Db.one(tx, "SELECT u.id, b.property_id, u.name FROM unit u JOIN building b ON b.id = u.building_id"
                + " WHERE u.id = $1 AND u.organization_id = $2", row -> new Unit(row.getUUID(0), row.getUUID(1), row.getString(2)),
                unitId, operator.organizationId())
                .flatMap(unit -> {
                    if (unit == null) {
                        throw ProblemException.notFound("The unit");
                    }
                    Uni<List<String>> tenants = !given.isEmpty() ? Uni.createFrom().item(given)
                            : Db.list(tx, "SELECT DISTINCT holder_subject_id FROM credential WHERE unit_id = $1 AND holder_subject_id IS NOT NULL"
                                    + " AND state IN ('sync_pending', 'active') ORDER BY 1", row -> row.getString(0), unit.id());
                    return tenants.flatMap(subjects -> Db.exec(tx, "INSERT INTO turnover (id, organization_id, unit_id, previous_tenant_subjects,"
                            + " requested_by, requested_at, reason) VALUES ($1, $2, $3, $4, $5, $6, $7)", turnoverId, operator.organizationId(),
                            unit.id(), new JsonArray(new ArrayList<>(subjects)), operator.subject(), at, reason)
                            .flatMap(ignored -> Db.list(tx, "SELECT c.id FROM credential c JOIN door d ON d.id = c.door_id"
                                    + " WHERE c.organization_id = $1 AND c.state IN ('sync_pending', 'active')"
                                    + " AND (c.unit_id = $2 OR (c.holder_subject_id = ANY ($3) AND d.property_id = $4)) ORDER BY c.created_at",
                                    row -> row.getUUID(0), operator.organizationId(), unit.id(), subjects.toArray(new String[0]), unit.propertyId()))
                            .flatMap(ids -> Multi.createFrom().iterable(ids)
                                    .onItem().transformToUniAndConcatenate(id -> credentials.revoke(tx, operator.organizationId(), id,
                                            reason, Cause.operator(operator.subject()), turnoverId, now, at))
                                    .collect().asList())
                            .map(revoked -> new Started(unit, subjects, revoked)));
                }))
                .flatMap(started -> {
                    Set<UUID> locks = new LinkedHashSet<>();
                    started.revoked().forEach(credential -> locks.add(credential.lockId()));
                    locks.forEach(sync::soon);
                    return endGrants(operator, started.unit(), started.subjects(), reason, turnoverId);
                })
                .flatMap(ignored -> report(operator.organizationId(), turnoverId));
    }

    private Uni<Void> endGrants(Operator operator, Unit unit, List<String> subjects, String reason, UUID turnoverId) {
        if (subjects.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        EndTenancyRequest request = EndTenancyRequest.newBuilder().setOrganizationId(operator.organizationId().toString())
                .setPropertyId(unit.propertyId().toString()).addAllSubjectIds(subjects).setOperatorSubject(operator.subject())
                .setReason(reason + " (unit " + unit.name() + ")").build();
        return policy.endTenancy(request).ifNoItem().after(Duration.ofSeconds(20)).fail()
                .flatMap(response -> db.one("UPDATE turnover SET revoked_grants = $2, grants_error = NULL WHERE id = $1 RETURNING id",
                        row -> row.getUUID(0), turnoverId, new JsonArray(new ArrayList<>(response.getRevokedGrantIdsList()))))
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("turnover %s: policy-service did not revoke the grants: %s", turnoverId, failure.toString());
                    return db.one("UPDATE turnover SET grants_error = $2 WHERE id = $1 RETURNING id", row -> row.getUUID(0), turnoverId,
                            "policy-service did not answer; repeat the turnover to revoke the grants");
                })
                .replaceWithVoid();
    }

    public Uni<Report> report(UUID organization, UUID turnoverId) {
        Instant now = clock.instant();
        return db.one("SELECT id, unit_id, requested_at, requested_by, previous_tenant_subjects, revoked_grants, grants_error FROM turnover"
                + " WHERE id = $1 AND organization_id = $2", row -> row, turnoverId, organization)
                .flatMap(row -> {
                    if (row == null) {
                        throw ProblemException.notFound("The turnover");
                    }
                    return db.list("SELECT " + Credential.COLUMNS + " FROM credential c WHERE c.turnover_id = $1 ORDER BY c.created_at",
                            Credential::of, turnoverId)
                            .map(found -> {
                                List<CredentialView> views = found.stream().map(c -> CredentialView.of(c, now, null)).toList();
                                int confirmed = (int) views.stream().filter(v -> v.state().equals("revoked")).count();
                                Long oldest = views.stream().filter(v -> v.pendingSeconds() != null).map(CredentialView::pendingSeconds)
                                        .max(Long::compare).orElse(null);
                                List<String> grants = strings((JsonArray) row.getValue("revoked_grants"));
                                String grantsError = row.getString("grants_error");
                                return new Report(row.getUUID("id"), row.getUUID("unit_id"), row.getOffsetDateTime("requested_at"),
                                        row.getString("requested_by"), strings((JsonArray) row.getValue("previous_tenant_subjects")), confirmed,
                                        views.size() - confirmed, oldest, views, grants, grantsError,
                                        confirmed == views.size() && grantsError == null);
                            });
                });
    }

    private static List<String> strings(JsonArray json) {
        List<String> values = new ArrayList<>();
        if (json != null) {
            json.forEach(value -> values.add(String.valueOf(value)));
        }
        return values;
    }
}
