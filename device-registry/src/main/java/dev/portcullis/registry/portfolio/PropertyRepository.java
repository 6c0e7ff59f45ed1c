package dev.portcullis.registry.portfolio;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

@ApplicationScoped
public class PropertyRepository implements PanacheRepositoryBase<PropertyEntity, UUID> {

    /** The property if it belongs to the organization; null otherwise. */
    @WithSession
    public Uni<PropertyEntity> findInOrganization(UUID organizationId, UUID propertyId) {
        return find("id = ?1 and organizationId = ?2", propertyId, organizationId).firstResult();
    }

    /** Creates the property or updates its name and zone (never moves it to another organization). */
    @WithSession
    public Uni<PropertyEntity> upsert(UUID id, UUID organizationId, String name, ZoneId zone) {
        return findById(id).flatMap(existing -> {
            if (existing != null && !existing.organizationId.equals(organizationId)) {
                return Uni.createFrom().failure(new IllegalStateException(
                        "property " + id + " belongs to another organization"));
            }
            PropertyEntity property = existing != null ? existing : new PropertyEntity();
            property.id = id;
            property.organizationId = organizationId;
            property.name = name;
            property.timeZone = zone.getId();
            if (property.createdAt == null) {
                property.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            }
            return persist(property);
        });
    }
}
