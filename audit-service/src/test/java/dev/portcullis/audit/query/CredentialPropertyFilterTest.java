package dev.portcullis.audit.query;

import static dev.portcullis.audit.AuditFixtures.LOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.CredentialDriftDetected;
import dev.portcullis.proto.events.v1.CredentialIssued;
import dev.portcullis.proto.events.v1.CredentialStateChanged;
import dev.portcullis.proto.events.v1.DoorChanged;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockCredentialsReported;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * GET /v1/audit and the export by credential and by property, from real Kafka records: the registry's
 * DoorChanged places doors in properties, credential events and lock events name credentials.
 */
@QuarkusTest
class CredentialPropertyFilterTest {

    static final String REGISTRY_TOPIC = "portcullis.registry.v1";

    @Inject
    AgroalDataSource db;

    private static String operator(UUID organization) {
        return TestIssuer.shared().token("ops", organization.toString(), "operator").sign();
    }

    private static List<String> ids(UUID organization, Map<String, ?> query) {
        return given().auth().oauth2(operator(organization)).queryParams(query).when().get("/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("entries.eventId");
    }

    private static List<String> exported(UUID organization, Map<String, ?> query) {
        List<String> ids = new ArrayList<>();
        String body = given().auth().oauth2(operator(organization)).queryParam("format", "jsonl").queryParams(query)
                .when().get("/v1/audit/export").then().statusCode(200).extract().asString();
        body.lines().skip(1).forEach(line -> ids.add(io.restassured.path.json.JsonPath.from(line).getString("eventId")));
        return ids;
    }

    private static EventEnvelope doorChanged(UUID organization, String door, String property) {
        return AuditFixtures.event(organization, ActorType.ACTOR_TYPE_SERVICE, "device-registry", e -> e.setDoorChanged(
                DoorChanged.newBuilder().setDoorId(door).setPropertyId(property).setName("Front door").setOperation("updated")));
    }

    private static EventEnvelope lockEvent(UUID organization, String lock, String door, String credential) {
        return AuditFixtures.event(organization, ActorType.ACTOR_TYPE_LOCK, lock, e -> e.setLockEventReported(
                LockEventReported.newBuilder().setLockId(lock).setDoorId(door).setEvent(LockEvent.newBuilder()
                        .setEventId(UUID.randomUUID().toString()).setType(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE)
                        .setCredentialId(credential))));
    }

    private void record(String topic, EventEnvelope... events) {
        for (EventEnvelope event : events) {
            AuditFixtures.send(topic, "k", event.toByteArray());
        }
        for (EventEnvelope event : events) {
            awaitEntry(db, event.getEventId());
        }
    }

    @Test
    void entriesAreFoundByTheDoorsOfAProperty() {
        UUID org = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        String a = "door-" + UUID.randomUUID();
        String b = "door-" + UUID.randomUUID();
        String c = "door-" + UUID.randomUUID();
        EventEnvelope aInP1 = doorChanged(org, a, "prop-1");
        EventEnvelope bInP1 = doorChanged(org, b, "prop-1");
        EventEnvelope cInP2 = doorChanged(org, c, "prop-2");
        // Another organization with the same property id and door ids: never mixed in.
        EventEnvelope otherAInP1 = doorChanged(other, a, "prop-1");
        record(REGISTRY_TOPIC, aInP1, bInP1, cInP2, otherAInP1);
        EventEnvelope atA = lockEvent(org, "lock-a", a, "");
        EventEnvelope atB = lockEvent(org, "lock-b", b, "");
        EventEnvelope atC = lockEvent(org, "lock-c", c, "");
        EventEnvelope otherAtA = lockEvent(other, "lock-a", a, "");
        record(LOCK_TOPIC, atA, atB, atC, otherAtA);

        assertEquals(List.of(atB.getEventId(), atA.getEventId(), bInP1.getEventId(), aInP1.getEventId()),
                ids(org, Map.of("propertyId", "prop-1")));
        assertEquals(List.of(atC.getEventId(), cInP2.getEventId()), ids(org, Map.of("propertyId", "prop-2")));
        assertEquals(List.of(otherAtA.getEventId(), otherAInP1.getEventId()), ids(other, Map.of("propertyId", "prop-1")));
        assertEquals(List.of(), ids(org, Map.of("propertyId", "prop-unknown")));
        assertEquals(List.of(atA.getEventId()), ids(org, Map.of("propertyId", "prop-1", "type", "lock_event_reported", "doorId", a)));

        // Door c moves to prop-1: its whole history follows it (the newest DoorChanged wins).
        EventEnvelope cInP1 = doorChanged(org, c, "prop-1");
        record(REGISTRY_TOPIC, cInP1);
        assertEquals(List.of(cInP1.getEventId(), atC.getEventId(), cInP2.getEventId()),
                ids(org, Map.of("propertyId", "prop-1", "doorId", c)));
        assertEquals(List.of(), ids(org, Map.of("propertyId", "prop-2")));
        // A redelivered older DoorChanged is a duplicate: it does not move the door back.
        AuditFixtures.send(REGISTRY_TOPIC, "k", cInP2.toByteArray());
        EventEnvelope marker = doorChanged(org, "door-marker-" + UUID.randomUUID(), "prop-9");
        record(REGISTRY_TOPIC, marker);
        assertEquals(List.of(), ids(org, Map.of("propertyId", "prop-2")));
        assertEquals(1, AuditFixtures.count(db, "select count(*) from door_property where organization_id = ? and door_id = ?"
                + " and property_id = 'prop-1'", org, c));

        assertEquals(List.of(aInP1.getEventId(), bInP1.getEventId(), cInP2.getEventId(), atA.getEventId(), atB.getEventId(),
                atC.getEventId(), cInP1.getEventId()), exported(org, Map.of("propertyId", "prop-1")));
    }

    @Test
    void entriesAreFoundByCredentialAndSayWhichCredentialAndMethod() {
        UUID org = UUID.randomUUID();
        String door = "door-" + UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        String pin = UUID.randomUUID().toString();
        String card = UUID.randomUUID().toString();
        EventEnvelope issued = AuditFixtures.event(org, ActorType.ACTOR_TYPE_USER, "manager", e -> e.setCredentialIssued(
                CredentialIssued.newBuilder().setCredentialId(pin).setDoorId(door).setLockId(lock).setHolderSubjectId("tenant-7")
                        .setCredentialType("PIN").setUsage("permanent")));
        EventEnvelope issuedCard = AuditFixtures.event(org, ActorType.ACTOR_TYPE_USER, "manager", e -> e.setCredentialIssued(
                CredentialIssued.newBuilder().setCredentialId(card).setDoorId(door).setLockId(lock).setCredentialType("CARD")));
        EventEnvelope active = AuditFixtures.event(org, ActorType.ACTOR_TYPE_SERVICE, "device-registry", e -> e
                .setCredentialStateChanged(CredentialStateChanged.newBuilder().setCredentialId(pin).setDoorId(door).setLockId(lock)
                        .setState("active").setPreviousState("sync_pending").setReason("lock_confirmed")));
        record(REGISTRY_TOPIC, issued, issuedCard, active);
        EventEnvelope used = lockEvent(org, lock, door, pin);
        EventEnvelope cardUsed = lockEvent(org, lock, door, card);
        EventEnvelope inventory = AuditFixtures.event(org, ActorType.ACTOR_TYPE_LOCK, lock, e -> e.setLockCredentialsReported(
                LockCredentialsReported.newBuilder().setLockId(lock).setDoorId(door).addCredentialIds(card)));
        record(LOCK_TOPIC, used, cardUsed, inventory);
        EventEnvelope drift = AuditFixtures.event(org, ActorType.ACTOR_TYPE_SERVICE, "device-registry", e -> e
                .setCredentialDriftDetected(CredentialDriftDetected.newBuilder().setLockId(lock).setDoorId(door)
                        .addMissingCredentialIds(pin).addUnexpectedCredentialIds("stranger")));
        record(REGISTRY_TOPIC, drift);
        // Someone else's credential with the same id in another organization: not theirs to see.
        UUID other = UUID.randomUUID();
        EventEnvelope elsewhere = lockEvent(other, "lock-x", "door-x", pin);
        record(UNLOCK_TOPIC, elsewhere);

        assertEquals(List.of(drift.getEventId(), used.getEventId(), active.getEventId(), issued.getEventId()),
                ids(org, Map.of("credentialId", pin)));
        assertEquals(List.of(inventory.getEventId(), cardUsed.getEventId(), issuedCard.getEventId()),
                ids(org, Map.of("credentialId", card)));
        assertEquals(List.of(drift.getEventId()), ids(org, Map.of("credentialId", "stranger")));
        assertEquals(List.of(used.getEventId()), ids(org, Map.of("credentialId", pin, "type", "lock_event_reported")));
        assertEquals(List.of(elsewhere.getEventId()), ids(other, Map.of("credentialId", pin)));

        String token = operator(org);
        given().auth().oauth2(token).queryParam("credentialId", pin).when().get("/v1/audit").then().statusCode(200)
                // the drift names two credentials: listed, no single one
                .body("entries[0].type", equalTo("credential_drift_detected"))
                .body("entries[0].credentialId", equalTo(null))
                .body("entries[0].credentialIds", equalTo(List.of("stranger", pin)))
                .body("entries[0].outcome", equalTo("drift"))
                // the lock event: which credential, and how it is used (as issued)
                .body("entries[1].type", equalTo("lock_event_reported"))
                .body("entries[1].credentialId", equalTo(pin))
                .body("entries[1].method", equalTo("pin"))
                .body("entries[1].lockId", equalTo(lock))
                .body("entries[1].doorId", equalTo(door))
                .body("entries[2].type", equalTo("credential_state_changed"))
                .body("entries[2].outcome", equalTo("active"))
                .body("entries[2].reasons", equalTo(List.of("lock_confirmed")))
                .body("entries[2].method", equalTo("pin"))
                .body("entries[3].type", equalTo("credential_issued"))
                .body("entries[3].outcome", equalTo("issued"))
                .body("entries[3].method", equalTo("pin"))
                .body("entries[3].credentialId", equalTo(pin));
        given().auth().oauth2(token).queryParam("credentialId", card).queryParam("type", "lock_event_reported").when().get("/v1/audit")
                .then().statusCode(200).body("entries[0].method", equalTo("card"));
        // Filtering by the stored method finds what says so itself (issued credentials, unlock requests).
        assertEquals(List.of(issuedCard.getEventId()), ids(org, Map.of("method", "card")));

        assertEquals(List.of(issued.getEventId(), active.getEventId(), used.getEventId(), drift.getEventId()),
                exported(org, Map.of("credentialId", pin)));
    }

    @Test
    void badCredentialOrPropertyParametersAreProblems() {
        UUID org = UUID.randomUUID();
        for (String parameter : List.of("credentialId", "propertyId")) {
            given().auth().oauth2(operator(org)).queryParam(parameter, "not an id").when().get("/v1/audit")
                    .then().statusCode(400).body("parameter", equalTo(parameter));
            given().auth().oauth2(operator(org)).queryParam("format", "csv").queryParam(parameter, "x".repeat(257))
                    .when().get("/v1/audit/export").then().statusCode(400).body("parameter", equalTo(parameter));
        }
    }
}
