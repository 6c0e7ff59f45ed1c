package dev.portcullis.audit.alert;

import static dev.portcullis.audit.AuditFixtures.LOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.WAIT;
import static dev.portcullis.audit.AuditFixtures.count;
import static dev.portcullis.audit.AuditFixtures.entries;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * Acknowledging alerts ({@code POST /v1/alerts/{id}/acknowledgement}) over real HTTP, PostgreSQL and Kafka:
 * who may, once only, shown in {@code GET /v1/alerts}, and recorded in the audit chain atomically.
 */
@QuarkusTest
class AlertAcknowledgementTest {

    @Inject
    AgroalDataSource db;

    private static String operator(UUID organization, String subject) {
        return TestIssuer.shared().token(subject, organization.toString(), "operator").sign();
    }

    /** Raises a tamper alert for a fresh lock of the organization and returns its id. */
    private String tamperAlert(UUID organization) {
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope tamper = AuditFixtures.lockEvent(organization, lock, "door-ack", LockEventType.LOCK_EVENT_TYPE_TAMPER);
        AuditFixtures.send(LOCK_TOPIC, lock, tamper.toByteArray());
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> count(db,
                "select count(*) from alert where source_event_id = ?::uuid and kind = 'tamper'", tamper.getEventId()) == 1);
        return entries(db, "select id from alert where source_event_id = ?::uuid", tamper.getEventId()).get(0).get("id").toString();
    }

    private long acknowledgementEntries(UUID organization) {
        return count(db, "select count(*) from audit_entry where organization_id = ? and event_type = 'alert_acknowledged'", organization);
    }

    @Test
    void anOperatorAcknowledgesAnAlertWhichIsRecordedInTheChainAndShownInTheList() {
        UUID organization = UUID.randomUUID();
        String acknowledgedAlert = tamperAlert(organization);
        String openAlert = tamperAlert(organization);
        String token = operator(organization, "ops-ack-1");

        JsonPath done = given().auth().oauth2(token).contentType("application/json").body(Map.of("note", "  checked on site  "))
                .when().post("/v1/alerts/" + acknowledgedAlert + "/acknowledgement")
                .then().statusCode(201)
                .body("acknowledgedBy", equalTo("ops-ack-1"))
                .body("note", equalTo("checked on site"))
                .extract().jsonPath();
        long sequence = done.getLong("auditSequence");

        // The chain entry: the operator as actor, the alert's organization, door and lock, kind as reason, note in the envelope.
        Map<String, Object> entry = entries(db, "select * from audit_entry where sequence = ?", sequence).get(0);
        assertEquals("alert_acknowledged", entry.get("event_type"));
        assertEquals("user", entry.get("actor_type"));
        assertEquals("ops-ack-1", entry.get("actor_id"));
        assertEquals(organization, entry.get("organization_id"));
        assertEquals("door-ack", entry.get("door_id"));
        assertEquals("acknowledged", entry.get("outcome"));
        assertArrayEquals(new String[] {"tamper"}, (String[]) entry.get("reasons"));
        EventEnvelope envelope = parse((byte[]) entry.get("envelope"));
        assertEquals(acknowledgedAlert, envelope.getAlertAcknowledged().getAlertId());
        assertEquals("checked on site", envelope.getAlertAcknowledged().getNote());
        // ... and readable through the query API like any other entry.
        given().auth().oauth2(token).when().get("/v1/audit?type=alert_acknowledged")
                .then().statusCode(200).body("entries.size()", equalTo(1)).body("entries[0].sequence", equalTo((int) sequence));

        given().auth().oauth2(token).when().get("/v1/alerts")
                .then().statusCode(200)
                .body("find { it.id == '" + acknowledgedAlert + "' }.acknowledgement.acknowledgedBy", equalTo("ops-ack-1"))
                .body("find { it.id == '" + acknowledgedAlert + "' }.acknowledgement.auditSequence", equalTo((int) sequence))
                .body("find { it.id == '" + openAlert + "' }.acknowledgement", nullValue());
        given().auth().oauth2(token).when().get("/v1/alerts?acknowledged=false")
                .then().statusCode(200).body("id", hasItem(openAlert)).body("id", not(hasItem(acknowledgedAlert)));
        given().auth().oauth2(token).when().get("/v1/alerts?acknowledged=true")
                .then().statusCode(200).body("id", equalTo(List.of(acknowledgedAlert)));
        given().auth().oauth2(token).when().get("/v1/alerts/" + acknowledgedAlert)
                .then().statusCode(200).body("alert.acknowledgement.note", equalTo("checked on site"));
        given().auth().oauth2(token).when().get("/v1/alerts?acknowledged=maybe")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void aSecondAcknowledgementIsAConflictAndTheFirstStands() {
        UUID organization = UUID.randomUUID();
        String alert = tamperAlert(organization);
        given().auth().oauth2(operator(organization, "ops-first")).contentType("application/json").body(Map.of("note", "first"))
                .when().post("/v1/alerts/" + alert + "/acknowledgement").then().statusCode(201);
        given().auth().oauth2(operator(organization, "ops-second")).contentType("application/json").body(Map.of("note", "second"))
                .when().post("/v1/alerts/" + alert + "/acknowledgement")
                .then().statusCode(409).contentType("application/problem+json")
                .body("acknowledgedBy", equalTo("ops-first"));
        assertEquals(1, acknowledgementEntries(organization), "the refused one left no audit entry");
        given().auth().oauth2(operator(organization, "ops-second")).when().get("/v1/alerts/" + alert)
                .then().body("alert.acknowledgement.acknowledgedBy", equalTo("ops-first"))
                .body("alert.acknowledgement.note", equalTo("first"));
    }

    @Test
    void concurrentAcknowledgementsRecordExactlyOne() {
        UUID organization = UUID.randomUUID();
        String alert = tamperAlert(organization);
        List<CompletableFuture<Integer>> racing = List.of("ops-a", "ops-b", "ops-c").stream()
                .map(subject -> CompletableFuture.supplyAsync(() -> given().auth().oauth2(operator(organization, subject))
                        .contentType("application/json").body("{}")
                        .when().post("/v1/alerts/" + alert + "/acknowledgement").statusCode()))
                .toList();
        List<Integer> statuses = racing.stream().map(CompletableFuture::join).sorted().toList();
        assertEquals(List.of(201, 409, 409), statuses);
        assertEquals(1, acknowledgementEntries(organization));
        assertEquals(1, count(db, "select count(*) from alert_acknowledgement where alert_id = ?::uuid", alert));
    }

    @Test
    void onlyOperatorsOfTheAlertsOrganizationMayAcknowledgeAndBadInputIsAProblem() {
        UUID organization = UUID.randomUUID();
        String alert = tamperAlert(organization);
        String path = "/v1/alerts/" + alert + "/acknowledgement";
        given().contentType("application/json").body("{}").when().post(path).then().statusCode(401);
        given().auth().oauth2(TestIssuer.shared().token("tenant-1", organization.toString(), "tenant").sign())
                .contentType("application/json").body("{}").when().post(path).then().statusCode(403);
        given().auth().oauth2(operator(UUID.randomUUID(), "ops-elsewhere")).contentType("application/json").body("{}")
                .when().post(path).then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(operator(organization, "ops-x")).contentType("application/json").body("{}")
                .when().post("/v1/alerts/not-an-id/acknowledgement").then().statusCode(404);
        given().auth().oauth2(operator(organization, "ops-x")).contentType("application/json").body("{}")
                .when().post("/v1/alerts/" + UUID.randomUUID() + "/acknowledgement").then().statusCode(404);
        given().auth().oauth2(operator(organization, "ops-x")).contentType("application/json").body(Map.of("note", "x".repeat(501)))
                .when().post(path).then().statusCode(400).contentType("application/problem+json").body("parameter", equalTo("note"));
        assertEquals(0, acknowledgementEntries(organization), "nothing refused reached the chain");
        // An owner may acknowledge too.
        given().auth().oauth2(TestIssuer.shared().token("owner-1", organization.toString(), "owner").sign())
                .contentType("application/json").body("{}").when().post(path)
                .then().statusCode(201).body("acknowledgedBy", equalTo("owner-1"));
    }

    @Test
    void theServiceRoleCannotChangeOrRemoveAnAcknowledgement() throws Exception {
        UUID organization = UUID.randomUUID();
        String alert = tamperAlert(organization);
        given().auth().oauth2(operator(organization, "ops-role")).contentType("application/json").body("{}")
                .when().post("/v1/alerts/" + alert + "/acknowledgement").then().statusCode(201);
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        try (Connection writer = DriverManager.getConnection(url, "portcullis_audit_writer", ""); Statement sql = writer.createStatement()) {
            for (String change : List.of("update alert_acknowledgement set acknowledged_by = 'someone-else' where alert_id = '" + alert + "'",
                    "delete from alert_acknowledgement where alert_id = '" + alert + "'", "truncate alert_acknowledgement")) {
                SQLException refused = assertThrows(SQLException.class, () -> sql.execute(change), change);
                assertEquals("42501", refused.getSQLState(), change + ": " + refused.getMessage());
            }
        }
    }

    private static EventEnvelope parse(byte[] bytes) {
        try {
            return EventEnvelope.parseFrom(bytes);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }
}
