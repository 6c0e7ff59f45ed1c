package dev.portcullis.identity.account;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

@ApplicationScoped
public class InvitationRepository implements PanacheRepositoryBase<InvitationEntity, String> {

    @WithSession
    public Uni<InvitationEntity> lock(String tokenHash) {
        return findById(tokenHash, LockModeType.PESSIMISTIC_WRITE);
    }

    @WithSession
    public Uni<Long> deleteFor(UUID accountId) {
        return delete("accountId", accountId);
    }
}
