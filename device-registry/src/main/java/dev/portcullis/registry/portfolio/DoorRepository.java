package dev.portcullis.registry.portfolio;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

@ApplicationScoped
public class DoorRepository implements PanacheRepositoryBase<DoorEntity, UUID> {

    /** The door if it belongs to the organization; null otherwise (never another tenant's door). */
    @WithSession
    public Uni<DoorEntity> findInOrganization(UUID organizationId, UUID doorId) {
        return find("id = ?1 and organizationId = ?2", doorId, organizationId).firstResult();
    }

    /** Creates the door or renames it (never moves it to another organization). */
    @WithSession
    public Uni<DoorEntity> upsert(UUID id, UUID organizationId, UUID propertyId, String name) {
        return findById(id).flatMap(existing -> {
            if (existing != null && !existing.organizationId.equals(organizationId)) {
                return Uni.createFrom().failure(new IllegalStateException("door " + id + " belongs to another organization"));
            }
            DoorEntity door = existing != null ? existing : new DoorEntity();
            door.id = id;
            door.organizationId = organizationId;
            door.propertyId = propertyId;
            door.name = name;
            if (door.createdAt == null) {
                door.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            }
            return persist(door);
        });
    }
}
