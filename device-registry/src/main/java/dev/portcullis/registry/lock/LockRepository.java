package dev.portcullis.registry.lock;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

@ApplicationScoped
public class LockRepository implements PanacheRepositoryBase<LockEntity, UUID> {

    /** The lock, row-locked until the surrounding transaction ends (serializes enrollments of one lock). */
    @WithSession
    public Uni<LockEntity> findForUpdate(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    /** The lock mounted on the door, or null. */
    @WithSession
    public Uni<LockEntity> findByDoor(UUID doorId) {
        return find("doorId", doorId).firstResult();
    }

    /** Registers a lock waiting for enrollment, unless a lock with this id exists (returned as it is; a retired one wherever it hung). */
    @WithSession
    public Uni<LockEntity> registerIfAbsent(UUID id, UUID organizationId, UUID doorId, String model) {
        return findById(id).flatMap(existing -> {
            if (existing != null) {
                if (existing.status == LockStatus.RETIRED) {
                    return Uni.createFrom().item(existing);
                }
                if (!existing.organizationId.equals(organizationId) || !doorId.equals(existing.doorId)) {
                    return Uni.createFrom().failure(new IllegalStateException(
                            "lock " + id + " is registered on another door or organization"));
                }
                return Uni.createFrom().item(existing);
            }
            LockEntity lock = new LockEntity();
            lock.id = id;
            lock.organizationId = organizationId;
            lock.doorId = doorId;
            lock.model = model;
            lock.status = LockStatus.PENDING_ENROLLMENT;
            lock.keyEpoch = 0;
            lock.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            return persist(lock);
        });
    }
}
