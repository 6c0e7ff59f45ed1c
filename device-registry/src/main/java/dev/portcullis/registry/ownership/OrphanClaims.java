package dev.portcullis.registry.ownership;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.UUID;

@ApplicationScoped
public class OrphanClaims implements PanacheRepositoryBase<OrphanClaimEntity, UUID> {

    @WithSession
    public Uni<OrphanClaimEntity> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Marks the organization's open claims on the lock that ran out as expired. */
    @WithSession
    public Uni<Integer> expire(UUID lockId, UUID organizationId, OffsetDateTime now) {
        return update("status = ?1 where lockId = ?2 and organizationId = ?3 and status = ?4 and expiresAt <= ?5",
                OrphanClaimEntity.Status.EXPIRED, lockId, organizationId, OrphanClaimEntity.Status.OPEN, now);
    }

    @WithSession
    public Uni<Long> open(UUID lockId, UUID organizationId) {
        return count("lockId = ?1 and organizationId = ?2 and status = ?3", lockId, organizationId, OrphanClaimEntity.Status.OPEN);
    }
}
