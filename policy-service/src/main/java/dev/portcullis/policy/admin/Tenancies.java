package dev.portcullis.policy.admin;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The policy side of a tenant turnover: every grant naming one of the previous tenants directly that
 * opens a door of the property (a door of it, or an area of it) is revoked, each as its own recorded
 * change attributed to the operator who asked. Grants to groups or roles are left alone (they name no
 * tenant); a grant that disappears meanwhile is simply not reported.
 */
@ApplicationScoped
public class Tenancies {

    @Inject
    AdminStore store;

    public Uni<List<String>> end(UUID organization, UUID property, List<String> subjects, String operatorSubject, String reason) {
        Operator operator = new Operator(operatorSubject, organization, null, null);
        return Panache.withSession(() -> Panache.getSession().flatMap(session -> {
                    Sql sql = new Sql(session);
                    return Multi.createFrom().iterable(subjects)
                            .onItem().transformToUniAndConcatenate(subject -> sql.texts("SELECT cast(g.id AS text) FROM access_grant g"
                                    + " WHERE g.organization_id = ?1 AND g.grantee_kind = 'subject' AND g.grantee_value = ?2"
                                    + " AND (g.door_id IN (SELECT id FROM door WHERE organization_id = ?1 AND property_id = ?3)"
                                    + "   OR g.area_id IN (SELECT id FROM area WHERE organization_id = ?1 AND property_id = ?3))"
                                    + " ORDER BY g.created_at, g.id", organization, subject, property))
                            .collect().in(LinkedHashSet<String>::new, Set::addAll);
                }))
                .flatMap(grants -> Multi.createFrom().iterable(new ArrayList<>(grants))
                        .onItem().transformToUniAndConcatenate(grant -> {
                            UUID grantId = UUID.fromString(grant);
                            return store.change(operator, Kinds.GRANT, grantId, AdminStore.DELETED, "grant revoked: " + reason,
                                    change -> change.exec("DELETE FROM access_grant WHERE organization_id = ?1 AND id = ?2", organization, grantId))
                                    .replaceWith(grant)
                                    .onFailure(dev.portcullis.kit.problem.ProblemException.class).recoverWithNull();
                        })
                        .filter(java.util.Objects::nonNull)
                        .collect().asList());
    }
}
