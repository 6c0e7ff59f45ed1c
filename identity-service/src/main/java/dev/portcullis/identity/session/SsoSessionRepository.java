package dev.portcullis.identity.session;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.util.UUID;

@ApplicationScoped
public class SsoSessionRepository implements PanacheRepositoryBase<SsoSessionEntity, String> {

    /** The session if it exists and has not expired; null otherwise. */
    @WithSession
    public Uni<SsoSessionEntity> findValid(String idHash, OffsetDateTime now) {
        return findById(idHash).map(session -> session == null || !now.isBefore(session.expiresAt) ? null : session);
    }

    /** Like {@link #findValid}, locked until the transaction ends. */
    @WithSession
    public Uni<SsoSessionEntity> lockValid(String idHash, OffsetDateTime now) {
        return findById(idHash, LockModeType.PESSIMISTIC_WRITE)
                .map(session -> session == null || !now.isBefore(session.expiresAt) ? null : session);
    }

    @WithSession
    public Uni<Long> deleteForAccount(UUID accountId) {
        return delete("accountId", accountId);
    }

    @WithSession
    public Uni<Long> deleteExpired(OffsetDateTime now) {
        return delete("expiresAt < ?1", now);
    }
}
