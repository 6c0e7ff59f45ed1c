package dev.portcullis.registry.credential;

import static dev.portcullis.registry.credential.CredentialLifecycleTest.WAIT;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.awaitState;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.issued;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.online;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.state;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.proto.policy.v1.EndTenancyRequest;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.admin.Operators;
import dev.portcullis.registry.credential.CredentialLifecycleTest.Door;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Tenant turnover: every credential of the unit and of its previous tenant at the property revoked, confirmed lock by lock. */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class TurnoverTest {

    record Estate(Operators op, UUID unit, Door unitDoor, Door lobby, Door otherProperty) {
    }

    static Estate estate() {
        Operators op = Operators.ofNewOrganization();
        UUID property = op.property("Harbor Lofts");
        UUID building = op.create("/properties/" + property + "/buildings", Map.of("name", "Building A"));
        UUID unit = op.create("/buildings/" + building + "/units", Map.of("name", "4B"));
        UUID model = op.lockModel("Acme", "deadbolt", 50, 100);
        Door unitDoor = door(op, property, Map.of("propertyId", property, "buildingId", building, "unitId", unit, "name", "4B entry"), model);
        Door lobby = door(op, property, Map.of("propertyId", property, "buildingId", building, "name", "Lobby"), model);
        UUID annex = op.property("Annex");
        Door other = door(op, annex, Map.of("propertyId", annex, "name", "Annex gate"), model);
        return new Estate(op, unit, unitDoor, lobby, other);
    }

    static Door door(Operators op, UUID property, Map<String, ?> body, UUID model) {
        UUID door = op.create("/doors", body);
        UUID lock = op.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "SN-" + UUID.randomUUID()));
        return new Door(op, property, door, lock, TestLockGateway.on(door));
    }

    static Map<String, Object> pin(String digits, String holder) {
        return Map.of("type", "PIN", "usage", "permanent", "pin", digits, "holderSubjectId", holder);
    }

    @Test
    void aTurnoverRevokesTheUnitsCredentialsAndThePreviousTenantsAndReportsUntilEveryLockConfirmed() {
        Estate e = estate();
        UUID unitPin = issued(e.unitDoor(), pin("480213", "tenant-a"));
        UUID unitCard = issued(e.unitDoor(), Map.of("type", "CARD", "usage", "permanent", "cardUid", "04a1b2c3", "holderSubjectId", "tenant-a"));
        UUID lobbyA = issued(e.lobby(), pin("480214", "tenant-a"));
        UUID lobbyB = issued(e.lobby(), pin("480215", "tenant-b"));
        UUID annexA = issued(e.otherProperty(), pin("480216", "tenant-a"));
        for (UUID id : List.of(unitPin, unitCard)) {
            awaitState(e.unitDoor(), id, "active");
        }
        awaitState(e.lobby(), lobbyA, "active");
        e.unitDoor().device().online = false;

        JsonPath started = e.op().call().body(Map.of("reason", "lease ended")).post("/units/" + e.unit() + "/turnover")
                .then().statusCode(202).extract().jsonPath();
        String turnover = started.getString("id");
        assertEquals(List.of("tenant-a"), started.getList("previousTenantSubjectIds"), "found among the unit's credential holders");
        assertEquals(Set.of(unitPin.toString(), unitCard.toString(), lobbyA.toString()), Set.copyOf(started.getList("credentials.id")));
        assertEquals(List.of(UUID.nameUUIDFromBytes("tenant-a".getBytes()).toString()), started.getList("grantsRevoked"));
        EndTenancyRequest asked = TestPolicy.REQUESTS.stream().filter(r -> r.getOrganizationId().equals(e.op().org().toString()))
                .findFirst().orElseThrow();
        assertEquals(e.unitDoor().property().toString(), asked.getPropertyId());
        assertEquals(List.of("tenant-a"), asked.getSubjectIdsList());
        assertTrue(asked.getReason().contains("4B"));

        // the lobby lock confirms; the unit's lock is offline, so its two stay pending
        awaitState(e.lobby(), lobbyA, "revoked");
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath report = report(e, turnover);
            assertEquals(1, report.getInt("credentialsConfirmed"));
            assertEquals(2, report.getInt("credentialsPending"));
            assertFalse(report.getBoolean("complete"));
            assertTrue(report.getLong("oldestPendingSeconds") >= 0);
        });
        assertEquals("active", state(e.lobby(), lobbyB), "another tenant's credential stays");
        assertEquals("active", state(e.otherProperty(), annexA), "the tenant's credential at another property stays");
        assertTrue(e.unitDoor().device().credentials.find(unitPin).isPresent(), "still on the offline lock, as reported");

        online(e.unitDoor());
        await().atMost(WAIT).untilAsserted(() -> {
            JsonPath report = report(e, turnover);
            assertEquals(3, report.getInt("credentialsConfirmed"));
            assertTrue(report.getBoolean("complete"));
        });
        assertEquals(0, e.unitDoor().device().credentials.size());

        // another organization cannot see or start it
        Operators other = Operators.ofNewOrganization();
        other.call().get("/turnovers/" + turnover).then().statusCode(404);
        other.call().body(Map.of()).post("/units/" + e.unit() + "/turnover").then().statusCode(404);
        e.op().call().body(Map.of()).post("/units/" + UUID.randomUUID() + "/turnover").then().statusCode(404);
    }

    @Test
    void whenPolicyServiceDoesNotAnswerTheReportSaysSoAndARepeatCompletesIt() {
        Estate e = estate();
        UUID unitPin = issued(e.unitDoor(), pin("580213", "tenant-c"));
        awaitState(e.unitDoor(), unitPin, "active");
        TestPolicy.available = false;
        try {
            JsonPath first = e.op().call().body(Map.of()).post("/units/" + e.unit() + "/turnover").then().statusCode(202).extract().jsonPath();
            assertTrue(first.getString("grantsError").contains("policy-service"), first.prettify());
            assertFalse(first.getBoolean("complete"));
        } finally {
            TestPolicy.available = true;
        }
        JsonPath again = e.op().call().body(Map.of("previousTenantSubjectIds", List.of("tenant-c"))).post("/units/" + e.unit() + "/turnover")
                .then().statusCode(202).extract().jsonPath();
        assertEquals(null, again.getString("grantsError"));
        assertEquals(1, again.getList("grantsRevoked").size());
        awaitState(e.unitDoor(), unitPin, "revoked");
    }

    static JsonPath report(Estate e, String turnover) {
        return e.op().call().get("/turnovers/" + turnover).then().statusCode(200).extract().jsonPath();
    }
}
