package dev.portcullis.policy.door;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

@ApplicationScoped
public class DoorRepository implements PanacheRepositoryBase<DoorEntity, UUID> {

    /** The door if it belongs to the organization; null otherwise (never another tenant's door). */
    @WithSession
    public Uni<DoorEntity> findInOrganization(UUID organizationId, UUID doorId) {
        return find("id = ?1 and organizationId = ?2", doorId, organizationId).firstResult();
    }

    @WithSession
    public Uni<DoorEntity> upsert(UUID id, UUID organizationId, UUID propertyId, String name, ZoneId zone, Assurance assurance) {
        return findById(id).flatMap(existing -> {
            DoorEntity door = existing != null ? existing : new DoorEntity();
            door.id = id;
            door.organizationId = organizationId;
            door.propertyId = propertyId;
            door.name = name;
            door.timeZone = zone.getId();
            door.requiredAcr = assurance.requiredAcr();
            door.maxAuthAgeSeconds = assurance.maxAuthAge() == null ? null : Math.toIntExact(assurance.maxAuthAge().toSeconds());
            if (door.createdAt == null) {
                door.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
            }
            return persist(door);
        });
    }
}
