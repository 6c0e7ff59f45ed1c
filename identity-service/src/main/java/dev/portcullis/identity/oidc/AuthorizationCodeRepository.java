package dev.portcullis.identity.oidc;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;

@ApplicationScoped
public class AuthorizationCodeRepository implements PanacheRepositoryBase<AuthorizationCodeEntity, String> {

    /** The code row locked for update (concurrent redemptions of one code queue here), or null. */
    @WithSession
    public Uni<AuthorizationCodeEntity> lock(String codeHash) {
        return findById(codeHash, LockModeType.PESSIMISTIC_WRITE);
    }

    @WithSession
    public Uni<Long> deleteExpired(OffsetDateTime now) {
        return delete("expiresAt < ?1", now);
    }
}
