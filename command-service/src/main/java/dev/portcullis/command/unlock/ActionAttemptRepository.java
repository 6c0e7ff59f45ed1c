package dev.portcullis.command.unlock;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@ApplicationScoped
public class ActionAttemptRepository implements PanacheRepositoryBase<ActionAttemptEntity, UUID> {

    @WithSession
    public Uni<ActionAttemptEntity> findByIdempotencyKey(UUID organizationId, String requesterId, String key) {
        return find("organizationId = ?1 and requesterId = ?2 and idempotencyKey = ?3", organizationId, requesterId, key)
                .firstResult();
    }

    /** Attempts still waiting for a second approver whose time ran out at {@code at}, oldest first. */
    @WithSession
    public Uni<List<UUID>> unapprovedDue(OffsetDateTime at, int limit) {
        return getSession().flatMap(session -> session.createSelectionQuery(
                "select a.id from ActionAttemptEntity a where a.status = ?1 and a.approvalExpiresAt <= ?2 order by a.approvalExpiresAt",
                UUID.class).setParameter(1, AttemptStatus.PENDING_APPROVAL).setParameter(2, at).setMaxResults(limit).getResultList());
    }

    /** Attempts of the organization waiting for a second approver (not yet approved, not due), oldest first. */
    @WithSession
    public Uni<List<ActionAttemptEntity>> awaitingApproval(UUID organizationId, OffsetDateTime at) {
        return find("organizationId = ?1 and status = ?2 and approverId is null and approvalExpiresAt > ?3 order by createdAt",
                organizationId, AttemptStatus.PENDING_APPROVAL, at).range(0, 199).list();
    }

    /** The attempt if it belongs to the organization; null otherwise (never another tenant's attempt). */
    @WithSession
    public Uni<ActionAttemptEntity> findInOrganization(UUID organizationId, UUID id) {
        return find("id = ?1 and organizationId = ?2", id, organizationId).firstResult();
    }
}
