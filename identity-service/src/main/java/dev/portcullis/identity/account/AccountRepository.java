package dev.portcullis.identity.account;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import java.util.UUID;

@ApplicationScoped
public class AccountRepository implements PanacheRepositoryBase<AccountEntity, UUID> {

    /** The account with this (already normalized) username, or null. */
    @WithSession
    public Uni<AccountEntity> findByUsername(String normalizedUsername) {
        return find("username", normalizedUsername).firstResult();
    }

    /** The account if it exists and may sign in, or null. */
    @WithSession
    public Uni<AccountEntity> findActive(UUID id) {
        return findById(id).map(account -> account == null || !account.canSignIn() ? null : account);
    }

    /**
     * The account, locked for update until the transaction ends: attempts on one account are decided
     * one at a time, so parallel guesses cannot slip past the failure counter.
     */
    @WithSession
    public Uni<AccountEntity> lock(UUID id) {
        return findById(id, LockModeType.PESSIMISTIC_WRITE);
    }
}
