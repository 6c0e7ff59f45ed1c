package dev.portcullis.registry.enrollment;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.UUID;

@ApplicationScoped
public class EnrollmentSecretRepository implements PanacheRepositoryBase<EnrollmentSecretEntity, UUID> {

    /** The lock's secret, row-locked until the surrounding transaction ends. */
    @WithSession
    public Uni<EnrollmentSecretEntity> findForUpdate(UUID lockId) {
        return findById(lockId, LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Issues (or re-issues) the lock's secret: a fresh hash and expiry, unused, no failed attempts.
     * Any earlier secret of the lock stops working.
     */
    @WithSession
    public Uni<EnrollmentSecretEntity> issue(UUID lockId, byte[] secretHash, OffsetDateTime now, OffsetDateTime expiresAt, String issuedBy) {
        return findById(lockId, LockModeType.PESSIMISTIC_WRITE).flatMap(existing -> {
            EnrollmentSecretEntity secret = existing != null ? existing : new EnrollmentSecretEntity();
            secret.lockId = lockId;
            secret.secretHash = secretHash;
            secret.expiresAt = expiresAt;
            secret.usedAt = null;
            secret.burnedAt = null;
            secret.failedAttempts = 0;
            secret.createdAt = now;
            secret.issuedBy = issuedBy;
            return persist(secret);
        });
    }
}
