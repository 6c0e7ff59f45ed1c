package dev.portcullis.command.unlock;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

@ApplicationScoped
public class ActionAttemptRepository implements PanacheRepositoryBase<ActionAttemptEntity, UUID> {

    @WithSession
    public Uni<ActionAttemptEntity> findByIdempotencyKey(UUID organizationId, String requesterId, String key) {
        return find("organizationId = ?1 and requesterId = ?2 and idempotencyKey = ?3", organizationId, requesterId, key)
                .firstResult();
    }

    /** The attempt if it belongs to the organization; null otherwise (never another tenant's attempt). */
    @WithSession
    public Uni<ActionAttemptEntity> findInOrganization(UUID organizationId, UUID id) {
        return find("id = ?1 and organizationId = ?2", id, organizationId).firstResult();
    }
}
