package dev.portcullis.registry.ownership;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.UUID;

@ApplicationScoped
public class LockTransfers implements PanacheRepositoryBase<LockTransferEntity, UUID> {

    @WithSession
    public Uni<LockTransferEntity> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** Marks the lock's pending transfers that ran out as expired; then at most one other can be pending. */
    @WithSession
    public Uni<Integer> expire(UUID lockId, OffsetDateTime now) {
        return update("status = ?1 where lockId = ?2 and status = ?3 and expiresAt <= ?4",
                LockTransferEntity.Status.EXPIRED, lockId, LockTransferEntity.Status.PENDING, now);
    }

    @WithSession
    public Uni<LockTransferEntity> pending(UUID lockId) {
        return find("lockId = ?1 and status = ?2", lockId, LockTransferEntity.Status.PENDING).firstResult();
    }
}
