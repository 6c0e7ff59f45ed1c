package dev.portcullis.registry.importing;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.admin.Operators;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CSV imports over real HTTP and PostgreSQL: every problem reported, nothing half-written, re-upload changes nothing. */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class PortfolioImportTest {

    static final String HEADER = "property,time_zone,building,unit,door,lock_manufacturer,lock_model,lock_serial\n";

    @Inject
    RegistryFixtures fixtures;

    private static Response upload(Operators op, String csv) {
        return op.call().contentType("text/csv").body(csv).post("/imports").andReturn();
    }

    private static JsonPath finished(Operators op, String id) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(
                () -> !List.of("PENDING", "RUNNING").contains(op.call().get("/imports/" + id).then().extract().path("status")));
        return op.call().get("/imports/" + id).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aValidFileIsAppliedWithProgressAndAReUploadChangesNothing() {
        Operators op = Operators.ofNewOrganization();
        op.lockModel("Acme", "Deadbolt 250", 250, 500);
        StringBuilder csv = new StringBuilder(HEADER);
        for (int unit = 1; unit <= 120; unit++) {
            csv.append("Harbor Lofts,America/New_York,Building A,Unit ").append(unit).append(",Entry,Acme,Deadbolt 250,SN-").append(unit).append('\n');
        }
        csv.append("\"Harbor Lofts\",America/New_York,,,\"Front door, main\",,,\r\n");
        csv.append("Harbor Lofts,America/New_York,,,\"Front door, main\",,,\n");

        Response response = upload(op, csv.toString());
        assertEquals(202, response.statusCode(), response.asString());
        String id = response.jsonPath().getString("id");
        assertEquals("/admin/v1/organizations/" + op.org() + "/imports/" + id, java.net.URI.create(response.header("Location")).getPath());
        JsonPath done = finished(op, id);
        assertEquals("SUCCEEDED", done.getString("status"), done.prettify());
        assertEquals(122, done.getInt("totalRows"));
        assertEquals(122, done.getInt("processedRows"));
        // 1 property + 1 building + 120 units + 121 doors + 120 locks
        assertEquals(363, done.getInt("createdObjects"));

        op.call().get("/locks").then().statusCode(200).body("$", hasSize(120)).body("[0].model.model", equalTo("Deadbolt 250"))
                .body("[0].status", equalTo("PENDING_ENROLLMENT"));
        op.call().get("/doors").then().body("$", hasSize(121));
        String property = op.call().get("/properties").then().body("$", hasSize(1)).body("[0].timeZone", equalTo("America/New_York"))
                .extract().path("[0].id");
        op.call().get("/properties/" + property + "/buildings").then().body("$", hasSize(1));

        long doors = fixtures.count("door");
        Response again = upload(op, csv.toString());
        assertEquals(202, again.statusCode(), again.asString());
        JsonPath second = finished(op, again.jsonPath().getString("id"));
        assertEquals("SUCCEEDED", second.getString("status"));
        assertEquals(0, second.getInt("createdObjects"));
        assertEquals(doors, fixtures.count("door"));
        op.call().get("/locks").then().body("$", hasSize(120));
    }

    @Test
    void aFileWithThreeBadRowsReportsAllThreeAndWritesNothing() {
        Operators op = Operators.ofNewOrganization();
        op.lockModel("Acme", "Deadbolt 100", 100, 100);
        String csv = HEADER
                + "Harbor Lofts,Europe/Berlin,Building A,Unit 1,Entry,Acme,Deadbolt 100,SN-1\n"
                + "Harbor Lofts,Mars/Olympus,Building A,Unit 2,Entry,Acme,Deadbolt 100,SN-2\n"
                + "Harbor Lofts,Europe/Berlin,Building A,Unit 3,Entry,Acme,Deadbolt 999,SN-3\n"
                + "Harbor Lofts,Europe/Berlin,Building A,Unit 4,Entry,Acme,Deadbolt 100,SN-1\n"
                + "Harbor Lofts,Europe/Berlin,Building A,Unit 5,Entry,Acme,Deadbolt 100,SN-5\n";
        long properties = fixtures.count("property");
        long doors = fixtures.count("door");
        long locks = fixtures.count("lock");

        Response response = upload(op, csv);

        assertEquals(422, response.statusCode(), response.asString());
        JsonPath report = response.jsonPath();
        assertEquals("REJECTED", report.getString("status"));
        assertEquals(List.of(3, 4, 5), report.getList("problems.row"));
        assertEquals(List.of("time_zone", "lock_model", "lock_serial"), report.getList("problems.column"));
        assertEquals(properties, fixtures.count("property"));
        assertEquals(doors, fixtures.count("door"));
        assertEquals(locks, fixtures.count("lock"));
        op.call().get("/properties").then().body("$", hasSize(0));
        op.call().get("/imports/" + report.getString("id")).then().statusCode(200).body("status", equalTo("REJECTED"))
                .body("problems", hasSize(3));
    }

    @Test
    void malformedFilesAndHeadersAreRefusedWithAProblem() {
        Operators op = Operators.ofNewOrganization();
        Map<String, String> bad = Map.of(
                "wrong header", "name,zone\nX,UTC\n",
                "unclosed quote", HEADER + "\"X,UTC,,,D,,,\n",
                "wrong field count", HEADER + "X,UTC,,,D\n",
                "no data rows", HEADER,
                "unit without building", HEADER + "X,UTC,,U1,D,,,\n");
        for (Map.Entry<String, String> c : bad.entrySet()) {
            Response response = upload(op, c.getValue());
            assertEquals(422, response.statusCode(), c.getKey() + ": " + response.asString());
            assertEquals(1, response.jsonPath().getList("problems").size(), c.getKey() + ": " + response.asString());
        }
        op.call().contentType("text/csv").body(new byte[] {(byte) 0xff, (byte) 0xfe, 0x41}).post("/imports").then().statusCode(400)
                .contentType("application/problem+json");
        op.call().get("/properties").then().body("$", hasSize(0));
    }
}
