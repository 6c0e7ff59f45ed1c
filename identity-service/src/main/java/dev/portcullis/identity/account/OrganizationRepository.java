package dev.portcullis.identity.account;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.UUID;

@ApplicationScoped
public class OrganizationRepository implements PanacheRepositoryBase<OrganizationEntity, UUID> {

    @WithSession
    public Uni<OrganizationEntity> upsert(UUID id, String name, OffsetDateTime now) {
        return findById(id).flatMap(existing -> {
            OrganizationEntity organization = existing != null ? existing : new OrganizationEntity();
            organization.id = id;
            organization.name = name;
            if (organization.createdAt == null) {
                organization.createdAt = now;
            }
            return persist(organization);
        });
    }
}
