package dev.portcullis.registry.portfolio;

import dev.portcullis.proto.events.v1.DoorChanged;
import dev.portcullis.registry.admin.Db;
import dev.portcullis.registry.admin.Events;
import dev.portcullis.registry.admin.Events.Cause;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Instant;
import java.util.UUID;

/** DoorChanged: where a door sits in the portfolio (for consumers that filter by property, e.g. the audit log). */
public final class DoorEvents {

    private DoorEvents() {
    }

    /** Appends the door's current place, read in the same transaction, keyed by the door. */
    public static Uni<Integer> changed(SqlClient sql, UUID organization, UUID door, String operation, Cause cause, Instant at) {
        return Db.one(sql, "SELECT property_id, building_id, unit_id, name FROM door WHERE id = $1 AND organization_id = $2",
                row -> DoorChanged.newBuilder().setDoorId(door.toString()).setPropertyId(row.getUUID(0).toString())
                        .setBuildingId(row.getUUID(1) == null ? "" : row.getUUID(1).toString())
                        .setUnitId(row.getUUID(2) == null ? "" : row.getUUID(2).toString())
                        .setName(row.getString(3)).setOperation(operation).build(), door, organization)
                .flatMap(changed -> changed == null ? Uni.createFrom().item(0)
                        : Events.append(sql, organization, door.toString(), "door_changed", cause, at, envelope -> envelope.setDoorChanged(changed)));
    }
}
