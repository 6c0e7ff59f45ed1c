package dev.portcullis.registry.portfolio;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.admin.Operators;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A door created through the API or a CSV import announces where it sits (DoorChanged), in its own transaction. */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class DoorEventsTest {

    @Inject
    RegistryFixtures fixtures;

    @Test
    void aNewDoorAnnouncesItsPropertyBuildingAndUnit() throws Exception {
        Operators op = Operators.ofNewOrganization();
        UUID property = op.property("Harbor Lofts");
        UUID building = op.create("/properties/" + property + "/buildings", Map.of("name", "A"));
        UUID unit = op.create("/buildings/" + building + "/units", Map.of("name", "4B"));
        UUID door = op.create("/doors", Map.of("propertyId", property, "buildingId", building, "unitId", unit, "name", "4B entry"));
        List<RegistryFixtures.OutboxRow> rows = fixtures.outbox(door);
        assertEquals(1, rows.size());
        assertEquals("door_changed", rows.get(0).eventType());
        EventEnvelope event = EventEnvelope.parseFrom(rows.get(0).payload());
        assertEquals(op.org().toString(), event.getOrganizationId());
        assertEquals(property.toString(), event.getDoorChanged().getPropertyId());
        assertEquals(building.toString(), event.getDoorChanged().getBuildingId());
        assertEquals(unit.toString(), event.getDoorChanged().getUnitId());
        assertEquals("created", event.getDoorChanged().getOperation());

        // a refused door writes no event
        long before = fixtures.count("outbox_event");
        op.call().body(Map.of("propertyId", UUID.randomUUID(), "name", "Nowhere")).post("/doors").then().statusCode(422);
        assertEquals(before, fixtures.count("outbox_event"));
    }
}
