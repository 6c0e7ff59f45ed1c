package dev.portcullis.registry.portfolio;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.vertx.mutiny.sqlclient.Row;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The portfolio as operators see it, and the request bodies that change it. */
public final class PortfolioViews {

    private PortfolioViews() {
    }

    @RegisterForReflection
    public record Property(UUID id, String name, String timeZone, OffsetDateTime createdAt) {
        static final String COLUMNS = "id, name, time_zone, created_at";

        static Property of(Row row) {
            return new Property(row.getUUID("id"), row.getString("name"), row.getString("time_zone"), row.getOffsetDateTime("created_at"));
        }
    }

    @RegisterForReflection
    public record Building(UUID id, UUID propertyId, String name, OffsetDateTime createdAt) {
        static final String COLUMNS = "id, property_id, name, created_at";

        static Building of(Row row) {
            return new Building(row.getUUID("id"), row.getUUID("property_id"), row.getString("name"), row.getOffsetDateTime("created_at"));
        }
    }

    @RegisterForReflection
    public record Unit(UUID id, UUID buildingId, String name, OffsetDateTime createdAt) {
        static final String COLUMNS = "id, building_id, name, created_at";

        static Unit of(Row row) {
            return new Unit(row.getUUID("id"), row.getUUID("building_id"), row.getString("name"), row.getOffsetDateTime("created_at"));
        }
    }

    @RegisterForReflection
    public record Door(UUID id, UUID propertyId, UUID buildingId, UUID unitId, String name, UUID lockId, OffsetDateTime createdAt) {
        static final String SELECT = "SELECT d.id, d.property_id, d.building_id, d.unit_id, d.name, l.id AS lock_id, d.created_at"
                + " FROM door d LEFT JOIN lock l ON l.door_id = d.id";

        static Door of(Row row) {
            return new Door(row.getUUID("id"), row.getUUID("property_id"), row.getUUID("building_id"), row.getUUID("unit_id"),
                    row.getString("name"), row.getUUID("lock_id"), row.getOffsetDateTime("created_at"));
        }
    }

    public record PropertyBody(String name, String timeZone) {
    }

    public record NameBody(String name) {
    }

    public record DoorBody(UUID propertyId, UUID buildingId, UUID unitId, String name) {
    }
}
