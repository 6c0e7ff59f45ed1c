package dev.portcullis.registry.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The operators' portfolio API over real HTTP, OIDC tokens and PostgreSQL. */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class PortfolioAdminTest {

    @Inject
    RegistryFixtures fixtures;

    @Test
    void anOperatorBuildsPropertyBuildingUnitDoorAndLockAndSeesTheModelsCapacity() {
        Operators op = Operators.ofNewOrganization();
        UUID property = op.property("Harbor Lofts");
        UUID building = op.create("/properties/" + property + "/buildings", Map.of("name", "Building A"));
        UUID unit = op.create("/buildings/" + building + "/units", Map.of("name", "Unit 101"));
        UUID door = op.create("/doors", Map.of("propertyId", property, "buildingId", building, "unitId", unit, "name", "Unit 101 entry"));
        UUID model = op.create("/lock-models", Map.of("manufacturer", "Acme", "model", "Deadbolt 350", "credentialTypes",
                List.of("PIN", "CARD", "FINGERPRINT", "PALM_VEIN", "FACE", "APP"), "maxUsers", 350, "maxCredentials", 700));
        UUID lock = op.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "AC-350-0001"));

        op.call().get("/locks/" + lock).then().statusCode(200)
                .body("doorId", equalTo(door.toString()))
                .body("status", equalTo("PENDING_ENROLLMENT"))
                .body("serialNumber", equalTo("AC-350-0001"))
                .body("model.manufacturer", equalTo("Acme"))
                .body("model.model", equalTo("Deadbolt 350"))
                .body("model.capacity.maxUsers", equalTo(350))
                .body("model.capacity.maxCredentials", equalTo(700))
                .body("model.credentialTypes", equalTo(List.of("PIN", "CARD", "FINGERPRINT", "PALM_VEIN", "FACE", "APP")))
                .body("support.status", equalTo("SUPPORTED"));
        op.call().get("/doors/" + door).then().statusCode(200)
                .body("buildingId", equalTo(building.toString())).body("unitId", equalTo(unit.toString())).body("lockId", equalTo(lock.toString()));
        op.call().get("/properties/" + property + "/buildings").then().statusCode(200).body("name", equalTo(List.of("Building A")));
        op.call().get("/buildings/" + building + "/units").then().statusCode(200).body("name", equalTo(List.of("Unit 101")));
        op.call().get("/locks").then().statusCode(200).body("$", hasSize(1));
        // The lock model's name is what the lock look-ups (gRPC) report, also after the model is renamed.
        assertEquals("Deadbolt 350", fixtures.lockModelName(lock));
        op.call().body(Map.of("manufacturer", "Acme", "model", "Deadbolt 350 Pro", "credentialTypes", List.of("PIN"), "maxUsers", 350,
                "maxCredentials", 350, "endOfSupport", "2030-01-31")).put("/lock-models/" + model).then().statusCode(200)
                .body("model", equalTo("Deadbolt 350 Pro")).body("support.endOfSupport", equalTo("2030-01-31"));
        assertEquals("Deadbolt 350 Pro", fixtures.lockModelName(lock));
        op.call().get("/locks/" + lock).then().body("model.credentialTypes", equalTo(List.of("PIN")));
    }

    @Test
    void capacitiesOf100And250And350AreKeptAndNonsenseRefused() {
        Operators op = Operators.ofNewOrganization();
        for (int users : new int[] {100, 250, 350}) {
            UUID model = op.lockModel("Acme", "Model " + users, users, users);
            op.call().get("/lock-models/" + model).then().statusCode(200).body("capacity.maxUsers", equalTo(users))
                    .body("capacity.maxCredentials", equalTo(users));
        }
        Map<String, Object> good = new HashMap<>(Map.of("manufacturer", "Acme", "model", "X", "credentialTypes", List.of("PIN"),
                "maxUsers", 100, "maxCredentials", 200));
        Map<String, Map<String, Object>> bad = new LinkedHashMap<>();
        bad.put("no users", with(good, "maxUsers", 0));
        bad.put("fewer credentials than users", with(good, "maxCredentials", 50));
        bad.put("no credential types", with(good, "credentialTypes", List.of()));
        bad.put("unknown credential type", with(good, "credentialTypes", List.of("IRIS")));
        bad.put("no manufacturer", with(good, "manufacturer", " "));
        bad.put("firmware key not Ed25519", with(good, "firmwareSigningKey", "MCowBQYDK2VuAyEA"));
        bad.put("unknown field", with(good, "colour", "red"));
        for (Map.Entry<String, Map<String, Object>> c : bad.entrySet()) {
            Response response = op.call().body(c.getValue()).post("/lock-models").andReturn();
            assertEquals(400, response.statusCode(), c.getKey() + ": " + response.asString());
            assertEquals("application/problem+json", response.contentType(), c.getKey());
            Enrollments.assertNoInternals(response.asString());
        }
        op.call().body(with(good, "model", "Model 100")).post("/lock-models").then().statusCode(409);
        op.call().get("/lock-models").then().statusCode(200).body("$", hasSize(3));
    }

    @Test
    void badPortfolioInputGetsProblemsAndWritesNothing() {
        Operators op = Operators.ofNewOrganization();
        UUID property = op.property("P");
        long doors = fixtures.count("door");
        op.call().body(Map.of("name", "Q", "timeZone", "Mars/Olympus")).post("/properties").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("timeZone"));
        op.call().body(Map.of("timeZone", "Europe/Berlin")).post("/properties").then().statusCode(400).body("detail", containsString("name"));
        op.call().body("{not json").post("/properties").then().statusCode(400).contentType("application/problem+json");
        op.call().body(Map.of("propertyId", property, "unitId", UUID.randomUUID(), "name", "D")).post("/doors").then().statusCode(400)
                .body("detail", containsString("buildingId"));
        op.call().body(Map.of("propertyId", property, "buildingId", UUID.randomUUID(), "name", "D")).post("/doors").then().statusCode(422);
        op.property("Dup");
        op.call().body(Map.of("name", "Dup", "timeZone", "Europe/Berlin")).post("/properties").then().statusCode(409);
        UUID door = op.create("/doors", Map.of("propertyId", property, "name", "Front"));
        op.call().body(Map.of("propertyId", property, "name", "Front")).post("/doors").then().statusCode(409);
        op.call().body(Map.of("doorId", door, "lockModelId", UUID.randomUUID(), "serialNumber", "S1")).post("/locks").then().statusCode(422);
        assertEquals(doors + 1, fixtures.count("door"));
    }

    @Test
    void endOfSupportIsShownOnTheLockView() {
        Operators op = Operators.ofNewOrganization();
        UUID property = op.property("P");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, LocalDate> ends = new LinkedHashMap<>();
        ends.put("UNSUPPORTED", today.minusDays(1));
        ends.put("ENDING_SOON", today.plusDays(30));
        ends.put("SUPPORTED", today.plusDays(365));
        for (Map.Entry<String, LocalDate> end : ends.entrySet()) {
            UUID model = op.create("/lock-models", Map.of("manufacturer", "Acme", "model", "M-" + end.getKey(), "credentialTypes", List.of("PIN"),
                    "maxUsers", 100, "maxCredentials", 100, "endOfSupport", end.getValue().toString()));
            UUID door = op.create("/doors", Map.of("propertyId", property, "name", "Door " + end.getKey()));
            UUID lock = op.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "S-" + end.getKey()));
            op.call().get("/locks/" + lock).then().statusCode(200)
                    .body("support.status", equalTo(end.getKey()))
                    .body("support.endOfSupport", equalTo(end.getValue().toString()));
        }
    }

    @Test
    void withoutATokenOrWithoutTheOperatorRoleNothingIsServed() {
        Operators op = Operators.ofNewOrganization();
        given().get("/admin/v1/organizations/" + op.org() + "/properties").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("name", "X", "timeZone", "UTC"))
                .post("/admin/v1/organizations/" + op.org() + "/properties").then().statusCode(401);
        Operators tenant = op.withRoles("tenant");
        tenant.call().get("/properties").then().statusCode(403).contentType("application/problem+json");
        tenant.call().body(Map.of("name", "X", "timeZone", "UTC")).post("/properties").then().statusCode(403);
        op.withRoles("owner").call().get("/properties").then().statusCode(200);
    }

    /** Every endpoint, called by an operator of another organization: 404, and nothing of the victim's changes. */
    @Test
    void anotherOrganizationsOperatorGets404OnEveryEndpoint() {
        Operators victim = Operators.ofNewOrganization();
        UUID property = victim.property("Victim property");
        UUID building = victim.create("/properties/" + property + "/buildings", Map.of("name", "B"));
        UUID unit = victim.create("/buildings/" + building + "/units", Map.of("name", "U"));
        UUID door = victim.create("/doors", Map.of("propertyId", property, "name", "D"));
        UUID model = victim.lockModel("Acme", "M", 100, 100);
        UUID lock = victim.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "V-1"));
        String csv = "property,time_zone,building,unit,door,lock_manufacturer,lock_model,lock_serial\nX,UTC,,,D,,,\n";
        String importId = victim.call().contentType("text/csv").body(csv).post("/imports").then().statusCode(202).extract().path("id");

        Operators attacker = Operators.ofNewOrganization();
        // The attacker's own token on the victim's organization path: every route is 404 (the organization does not exist for it).
        Operators onVictimPath = new Operators(victim.org(), attacker.token());
        List<String[]> routes = List.of(
                new String[] {"GET", "/properties"}, new String[] {"POST", "/properties"}, new String[] {"GET", "/properties/" + property},
                new String[] {"PUT", "/properties/" + property}, new String[] {"GET", "/properties/" + property + "/buildings"},
                new String[] {"POST", "/properties/" + property + "/buildings"}, new String[] {"GET", "/buildings/" + building},
                new String[] {"GET", "/buildings/" + building + "/units"}, new String[] {"POST", "/buildings/" + building + "/units"},
                new String[] {"GET", "/doors"}, new String[] {"POST", "/doors"}, new String[] {"GET", "/doors/" + door},
                new String[] {"GET", "/lock-models"}, new String[] {"POST", "/lock-models"}, new String[] {"GET", "/lock-models/" + model},
                new String[] {"PUT", "/lock-models/" + model}, new String[] {"GET", "/locks"}, new String[] {"POST", "/locks"},
                new String[] {"GET", "/locks/" + lock}, new String[] {"GET", "/imports/" + importId},
                new String[] {"GET", "/firmware/manifests"}, new String[] {"GET", "/firmware/manifests/" + UUID.randomUUID()},
                new String[] {"POST", "/firmware/rollouts"}, new String[] {"GET", "/firmware/rollouts/" + UUID.randomUUID()});
        for (String[] route : routes) {
            Response response = onVictimPath.call().body("{}").request(route[0], route[1]).andReturn();
            assertEquals(404, response.statusCode(), route[0] + " " + route[1] + ": " + response.asString());
        }
        onVictimPath.call().contentType("text/csv").body(csv).post("/imports").then().statusCode(404);
        onVictimPath.call().contentType("application/octet-stream").body(new byte[] {1}).post("/firmware/manifests?lockModelId=" + model)
                .then().statusCode(404);

        // On its own organization's path, the victim's ids name nothing.
        for (String path : List.of("/properties/" + property, "/properties/" + property + "/buildings", "/buildings/" + building,
                "/buildings/" + building + "/units", "/doors/" + door, "/lock-models/" + model, "/locks/" + lock, "/imports/" + importId)) {
            attacker.call().get(path).then().statusCode(404);
        }
        attacker.call().body(Map.of("name", "x", "timeZone", "UTC")).put("/properties/" + property).then().statusCode(404);
        attacker.call().body(Map.of("name", "B2")).post("/properties/" + property + "/buildings").then().statusCode(404);
        attacker.call().body(Map.of("name", "U2")).post("/buildings/" + building + "/units").then().statusCode(404);
        attacker.call().body(Map.of("propertyId", property, "name", "Sneaky")).post("/doors").then().statusCode(422);
        attacker.call().body(Map.of("doorId", door, "lockModelId", model, "serialNumber", "A-1")).post("/locks").then().statusCode(422);
        attacker.call().body(Map.of("manufacturer", "Acme", "model", "M", "credentialTypes", List.of("PIN"), "maxUsers", 1, "maxCredentials", 1))
                .put("/lock-models/" + model).then().statusCode(404);
        attacker.call().get("/locks").then().statusCode(200).body("$", hasSize(0));
        attacker.call().get("/doors").then().statusCode(200).body("$", hasSize(0));

        victim.call().get("/properties/" + property).then().statusCode(200).body("name", equalTo("Victim property"));
        victim.call().get("/lock-models/" + model).then().statusCode(200).body("model", equalTo("M")).body("capacity.maxUsers", equalTo(100));
        victim.call().get("/doors/" + door).then().statusCode(200).body("lockId", equalTo(lock.toString()));
        victim.call().get("/properties/" + property + "/buildings").then().body("$", hasSize(1));
        victim.call().get("/locks/" + lock).then().body("firmware.targetVersion", nullValue());
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
