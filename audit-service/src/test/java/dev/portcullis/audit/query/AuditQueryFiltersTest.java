package dev.portcullis.audit.query;

import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.Timestamp;
import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.common.v1.Authentication;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.UnlockDecided;
import dev.portcullis.proto.events.v1.UnlockRequested;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/audit filters: actor, type, outcome, method, time range; entries show credential and policy. */
@QuarkusTest
class AuditQueryFiltersTest {

    private static final Instant T0 = Instant.parse("2026-01-10T08:00:00Z");

    @Inject
    AgroalDataSource db;

    private static UUID org;
    private static String door;
    private static EventEnvelope aliceRequest;
    private static EventEnvelope aliceDenied;
    private static EventEnvelope bobRequest;
    private static EventEnvelope bobPermitted;

    @BeforeEach
    void events() {
        if (org != null) {
            return;
        }
        UUID o = UUID.randomUUID();
        door = "door-" + UUID.randomUUID();
        aliceRequest = at(T0, AuditFixtures.event(o, ActorType.ACTOR_TYPE_USER, "alice", e -> e.setUnlockRequested(
                UnlockRequested.newBuilder().setActionAttemptId("a1").setDoorId(door).setAction(LockAction.LOCK_ACTION_UNLOCK)
                        .setMethod(AccessMethod.ACCESS_METHOD_APP)
                        .setAuthentication(Authentication.newBuilder().setClientId("portcullis-app").addAmr("pwd").addAmr("otp")
                                .setAcr("aal2").setSenderConstrained(true)))));
        aliceDenied = at(T0.plusSeconds(1), AuditFixtures.event(o, ActorType.ACTOR_TYPE_USER, "alice", e -> e.setUnlockDecided(
                UnlockDecided.newBuilder().setActionAttemptId("a1").setDoorId(door).setDecision(Decision.DECISION_DENY)
                        .addReasons(Reason.REASON_OUTSIDE_SCHEDULE).setPolicyVersion("12").setDecisionId("dec-1"))));
        bobRequest = at(T0.plusSeconds(3600), AuditFixtures.event(o, ActorType.ACTOR_TYPE_PARTNER, "partner-x", e -> e
                .setUnlockRequested(UnlockRequested.newBuilder().setActionAttemptId("b1").setDoorId(door)
                        .setAction(LockAction.LOCK_ACTION_UNLOCK).setMethod(AccessMethod.ACCESS_METHOD_PARTNER)
                        .setOnBehalfOf("booking-42"))));
        bobPermitted = at(T0.plusSeconds(3601), AuditFixtures.event(o, ActorType.ACTOR_TYPE_PARTNER, "partner-x", e -> e
                .setUnlockDecided(UnlockDecided.newBuilder().setActionAttemptId("b1").setDoorId(door)
                        .setDecision(Decision.DECISION_PERMIT).addReasons(Reason.REASON_GRANT_MATCHED).setPolicyVersion("12")
                        .setDecisionId("dec-2").setGrantId("grant-9"))));
        List<EventEnvelope> all = List.of(aliceRequest, aliceDenied, bobRequest, bobPermitted);
        AuditFixtures.sendAll(UNLOCK_TOPIC, door, all);
        all.forEach(event -> awaitEntry(db, event.getEventId()));
        org = o;
    }

    private static EventEnvelope at(Instant when, EventEnvelope event) {
        return event.toBuilder().setOccurredAt(Timestamp.newBuilder().setSeconds(when.getEpochSecond()).setNanos(when.getNano()))
                .build();
    }

    private static List<String> ids(Map<String, ?> query) {
        String token = TestIssuer.shared().token("ops", org.toString(), "operator").sign();
        return given().auth().oauth2(token).queryParams(query).when().get("/v1/audit")
                .then().statusCode(200).extract().jsonPath().getList("entries.eventId");
    }

    @Test
    void filtersNarrowTheEntries() {
        assertEquals(List.of(aliceDenied.getEventId(), aliceRequest.getEventId()), ids(Map.of("actorId", "alice")));
        assertEquals(List.of(bobRequest.getEventId(), bobPermitted.getEventId()).stream().sorted().toList(),
                ids(Map.of("actorId", "partner-x")).stream().sorted().toList());
        assertEquals(List.of(aliceDenied.getEventId()), ids(Map.of("doorId", door, "outcome", "denied")));
        assertEquals(List.of(bobPermitted.getEventId(), aliceDenied.getEventId()), ids(Map.of("doorId", door, "type", "unlock_decided")));
        assertEquals(List.of(bobRequest.getEventId()), ids(Map.of("doorId", door, "method", "partner")));
        assertEquals(List.of(aliceDenied.getEventId(), aliceRequest.getEventId()),
                ids(Map.of("doorId", door, "from", T0.toString(), "to", T0.plusSeconds(60).toString())));
        assertEquals(List.of(aliceRequest.getEventId()),
                ids(Map.of("doorId", door, "from", T0.toString(), "to", T0.plusSeconds(1).toString())), "to is exclusive");
        assertEquals(List.of(bobPermitted.getEventId(), bobRequest.getEventId()),
                ids(Map.of("doorId", door, "from", T0.plusSeconds(3600).toString())));
        assertEquals(List.of(), ids(Map.of("doorId", door, "actorId", "alice", "outcome", "permitted")));
    }

    @Test
    void entriesSayHowWhoAuthenticatedAndWhatPolicyDecided() {
        String token = TestIssuer.shared().token("ops", org.toString(), "operator").sign();
        given().auth().oauth2(token).queryParam("actionAttemptId", "a1").queryParam("doorId", door)
                .when().get("/v1/audit")
                .then().statusCode(200)
                .body("entries[1].type", equalTo("unlock_requested"))
                .body("entries[1].method", equalTo("app"))
                .body("entries[1].credential.clientId", equalTo("portcullis-app"))
                .body("entries[1].credential.amr", equalTo(List.of("pwd", "otp")))
                .body("entries[1].credential.acr", equalTo("aal2"))
                .body("entries[1].credential.senderConstrained", equalTo(true))
                .body("entries[0].outcome", equalTo("denied"))
                .body("entries[0].reasons", equalTo(List.of("outside_schedule")))
                .body("entries[0].policy.version", equalTo("12"))
                .body("entries[0].policy.decisionId", equalTo("dec-1"));
        given().auth().oauth2(token).queryParam("actionAttemptId", "b1").queryParam("doorId", door)
                .when().get("/v1/audit")
                .then().statusCode(200)
                .body("entries[1].onBehalfOf", equalTo("booking-42"))
                .body("entries[1].actor.type", equalTo("partner"))
                .body("entries[0].policy.grantId", equalTo("grant-9"));
    }

    @Test
    void someoneWithoutTheOperatorRoleCannotFilterTheirWayToOthers() {
        String alice = TestIssuer.shared().token("alice", org.toString()).sign();
        given().auth().oauth2(alice).queryParam("actorId", "partner-x").when().get("/v1/audit")
                .then().statusCode(200).body("entries.size()", equalTo(0));
    }

    /** The test profile gives this organization a 3 s retention. */
    static final UUID SHORT_RETENTION = UUID.fromString("0000000a-0000-4000-8000-00000000000a");

    @Test
    void entriesPastTheirOrganizationsRetentionAreNoLongerServedButStayInTheChain() throws Exception {
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope event = AuditFixtures.lockEvent(SHORT_RETENTION, lock, "door-1",
                dev.portcullis.proto.gateway.v1.LockEventType.LOCK_EVENT_TYPE_DOOR_STATE);
        AuditFixtures.send(dev.portcullis.audit.AuditFixtures.LOCK_TOPIC, lock, event.toByteArray());
        awaitEntry(db, event.getEventId());
        String token = TestIssuer.shared().token("ops", SHORT_RETENTION.toString(), "operator").sign();
        given().auth().oauth2(token).queryParam("lockId", lock).when().get("/v1/audit")
                .then().statusCode(200).body("entries.size()", equalTo(1));
        Thread.sleep(3_500);
        given().auth().oauth2(token).queryParam("lockId", lock).when().get("/v1/audit")
                .then().statusCode(200).body("entries.size()", equalTo(0));
        assertEquals(1, AuditFixtures.count(db, "select count(*) from audit_entry where event_id = ?::uuid", event.getEventId()));
        // Other organizations keep theirs (no default period in the test profile).
        assertEquals(2, ids(Map.of("actorId", "alice")).size());
    }

    @Test
    void badFiltersAreProblems() {
        String token = TestIssuer.shared().token("ops", org.toString(), "operator").sign();
        for (Map<String, String> bad : List.of(Map.of("from", "yesterday"), Map.of("to", "2026-13-01T00:00:00Z"),
                Map.of("from", T0.toString(), "to", T0.toString()), Map.of("outcome", "DENIED"), Map.of("type", "x y"),
                Map.of("actorId", "a b"))) {
            given().auth().oauth2(token).queryParams(bad).when().get("/v1/audit")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("https://portcullis.dev/problems/invalid-parameter"));
        }
    }
}
