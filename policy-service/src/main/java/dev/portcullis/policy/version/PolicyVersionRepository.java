package dev.portcullis.policy.version;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Each organization's policy data has a version that every change bumps and every decision reports. */
@ApplicationScoped
public class PolicyVersionRepository implements PanacheRepositoryBase<PolicyVersionEntity, UUID> {

    @WithSession
    public Uni<Long> current(UUID organizationId) {
        return findById(organizationId).map(row -> row == null ? 0L : row.version);
    }

    /** Bumps the version; call inside the transaction that changes the policy data. */
    @WithSession
    public Uni<Long> bump(UUID organizationId) {
        return getSession().flatMap(session -> session
                .createNativeQuery("insert into policy_version (organization_id, version) values (:org, 1) "
                        + "on conflict (organization_id) do update set version = policy_version.version + 1 "
                        + "returning version", Long.class)
                .setParameter("org", organizationId)
                .getSingleResult());
    }
}
