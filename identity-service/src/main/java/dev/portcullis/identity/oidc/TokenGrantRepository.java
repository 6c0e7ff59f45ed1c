package dev.portcullis.identity.oidc;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

@ApplicationScoped
public class TokenGrantRepository implements PanacheRepositoryBase<TokenGrantEntity, UUID> {

    @WithSession
    public Uni<TokenGrantEntity> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }

    @WithSession
    public Uni<TokenGrantEntity> findByCode(String codeHash) {
        return find("codeHash", codeHash).firstResult();
    }
}
