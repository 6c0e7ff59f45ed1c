package dev.portcullis.audit.query;

import static dev.portcullis.audit.AuditFixtures.LOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.UNLOCK_TOPIC;
import static dev.portcullis.audit.AuditFixtures.awaitEntry;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.portcullis.audit.AuditFixtures;
import dev.portcullis.audit.chain.EntryHash;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** GET /v1/audit: tokens, tenant isolation, own-entries-only for non-operators, paging, bad input. */
@QuarkusTest
class AuditQueryTest {

    @Inject
    AgroalDataSource db;

    private static UUID orgA;
    private static UUID orgB;
    private static String door;
    private static String attemptA1;
    private static List<EventEnvelope> alice;
    private static List<EventEnvelope> bob;
    private static List<EventEnvelope> mallory;

    /** Once per class: org A, where alice and bob unlock the same door; org B, mallory, on a door with the same id. */
    @BeforeEach
    void twoOrganizations() {
        if (orgA != null) {
            return;
        }
        UUID a = UUID.randomUUID();
        orgB = UUID.randomUUID();
        door = UUID.randomUUID().toString();
        attemptA1 = UUID.randomUUID().toString();
        String attemptA2 = UUID.randomUUID().toString();
        String attemptB = UUID.randomUUID().toString();
        alice = AuditFixtures.unlockEvents(a, "alice-" + a, door, "lock-a", attemptA1);
        bob = AuditFixtures.unlockEvents(a, "bob-" + a, door, "lock-a", attemptA2);
        mallory = AuditFixtures.unlockEvents(orgB, "mallory-" + orgB, door, "lock-a", attemptB);
        AuditFixtures.sendAll(UNLOCK_TOPIC, attemptA1, alice);
        AuditFixtures.sendAll(UNLOCK_TOPIC, attemptA2, bob);
        AuditFixtures.sendAll(UNLOCK_TOPIC, attemptB, mallory);
        for (List<EventEnvelope> events : List.of(alice, bob, mallory)) {
            events.forEach(event -> awaitEntry(db, event.getEventId()));
        }
        orgA = a;
    }

    private static String token(String subject, UUID organization, String... roles) {
        return TestIssuer.shared().token(subject, organization.toString(), roles).sign();
    }

    private static JsonPath list(String token, Map<String, ?> query) {
        return given().auth().oauth2(token).queryParams(query)
                .when().get("/v1/audit")
                .then().statusCode(200).contentType("application/json")
                .extract().jsonPath();
    }

    @Test
    void anOperatorSeesEveryEntryOfTheirOrganizationAndNoOther() {
        JsonPath page = list(token("ops-" + orgA, orgA, "operator"), Map.of("doorId", door, "limit", "100"));
        List<String> ids = page.getList("entries.eventId");
        assertEquals(12, ids.size(), "alice's and bob's six events each, none of org B's");
        alice.forEach(event -> org.junit.jupiter.api.Assertions.assertTrue(ids.contains(event.getEventId())));
        bob.forEach(event -> org.junit.jupiter.api.Assertions.assertTrue(ids.contains(event.getEventId())));
        mallory.forEach(event -> org.junit.jupiter.api.Assertions.assertFalse(ids.contains(event.getEventId())));
    }

    @Test
    void anotherOrganizationsTokenNeverSeesTheseEntries() {
        String orgBOperator = token("ops-" + orgB, orgB, "operator");
        List<String> ids = list(orgBOperator, Map.of("actionAttemptId", attemptA1)).getList("entries.eventId");
        assertEquals(List.of(), ids, "org B cannot read org A's attempt, even by naming it");
        List<String> sameDoorId = list(orgBOperator, Map.of("doorId", door, "limit", "100")).getList("entries.eventId");
        assertEquals(6, sameDoorId.size());
        mallory.forEach(event -> org.junit.jupiter.api.Assertions.assertTrue(sameDoorId.contains(event.getEventId())));
    }

    @Test
    void someoneWithoutTheOperatorRoleSeesOnlyTheirOwnEntries() {
        JsonPath page = list(token("alice-" + orgA, orgA), Map.of("doorId", door, "limit", "100"));
        assertEquals(6, page.getList("entries").size());
        page.getList("entries.actor.id").forEach(id -> assertEquals("alice-" + orgA, id));
        // Naming bob's attempt does not help.
        given().auth().oauth2(token("alice-" + orgA, orgA, "tenant")).queryParam("actionAttemptId", bob.get(0).getUnlockRequested()
                        .getActionAttemptId())
                .when().get("/v1/audit")
                .then().statusCode(200).body("entries", empty());
    }

    @Test
    void entriesHaveTheDocumentedShapeNewestFirst() {
        JsonPath page = list(token("ops-" + orgA, orgA, "operator"), Map.of("actionAttemptId", attemptA1));
        List<Map<String, Object>> entries = page.getList("entries");
        assertEquals(6, entries.size());
        assertNull(page.get("nextCursor"));
        Map<String, Object> newest = entries.get(0);
        Map<String, Object> oldest = entries.get(5);
        assertEquals(alice.get(5).getEventId(), newest.get("eventId"));
        assertEquals("unlock_expired", newest.get("type"));
        assertEquals("expired", newest.get("outcome"));
        assertEquals(alice.get(0).getEventId(), oldest.get("eventId"));
        assertEquals("unlock_requested", oldest.get("type"));
        assertEquals("requested", oldest.get("outcome"));
        assertEquals("app", oldest.get("method"));
        assertEquals(Map.of("type", "user", "id", "alice-" + orgA), oldest.get("actor"));
        assertEquals(door, oldest.get("doorId"));
        assertEquals(attemptA1, oldest.get("actionAttemptId"));
        assertEquals(List.of(), oldest.get("reasons"));
        assertEquals(List.of("grant_matched"), entries.get(4).get("reasons"));
        assertEquals("lock-a", entries.get(3).get("lockId"));
        assertNotNull(oldest.get("occurredAt"));
        assertNotNull(oldest.get("recordedAt"));
        for (int i = 0; i < 5; i++) {
            long newer = ((Number) entries.get(i).get("sequence")).longValue();
            long older = ((Number) entries.get(i + 1).get("sequence")).longValue();
            assertEquals(older + 1, newer, "one attempt's events are consecutive on its partition");
            assertEquals(entries.get(i + 1).get("entryHash"), entries.get(i).get("previousHash"));
        }
        Map<String, Object> row = awaitEntry(db, alice.get(0).getEventId());
        assertEquals(EntryHash.hex((byte[]) row.get("entry_hash")), oldest.get("entryHash"));
        assertEquals(EntryHash.hex((byte[]) row.get("previous_hash")), oldest.get("previousHash"));
    }

    @Test
    void pagesFollowTheCursor() {
        String operator = token("ops-" + orgA, orgA, "operator");
        JsonPath first = list(operator, Map.of("doorId", door, "limit", "5"));
        assertEquals(5, first.getList("entries").size());
        long cursor = first.getLong("nextCursor");
        assertEquals(first.getLong("entries[4].sequence"), cursor);
        JsonPath second = list(operator, Map.of("doorId", door, "limit", "5", "after", String.valueOf(cursor)));
        assertEquals(5, second.getList("entries").size());
        org.junit.jupiter.api.Assertions.assertTrue(second.getLong("entries[0].sequence") < cursor);
        JsonPath third = list(operator, Map.of("doorId", door, "limit", "5", "after", String.valueOf(second.getLong("nextCursor"))));
        assertEquals(2, third.getList("entries").size());
        assertNull(third.get("nextCursor"));
    }

    @Test
    void lockEventsCanBeFoundByLock() {
        UUID org = UUID.randomUUID();
        String lock = "lock-" + UUID.randomUUID();
        EventEnvelope duress = AuditFixtures.lockEvent(org, lock, door, LockEventType.LOCK_EVENT_TYPE_DURESS);
        AuditFixtures.send(LOCK_TOPIC, lock, duress.toByteArray());
        awaitEntry(db, duress.getEventId());
        given().auth().oauth2(token("ops", org, "operator")).queryParam("lockId", lock)
                .when().get("/v1/audit")
                .then().statusCode(200)
                .body("entries", hasSize(1))
                .body("entries[0].type", equalTo("lock_event_reported"))
                .body("entries[0].outcome", equalTo("duress"))
                .body("entries[0].actor.type", equalTo("lock"))
                .body("entries[0].actionAttemptId", nullValue());
    }

    @Test
    void noTokenOrABadTokenIsRefused() {
        given().when().get("/v1/audit").then().statusCode(401);
        TestIssuer issuer = TestIssuer.shared();
        given().auth().oauth2(issuer.token("x", orgA.toString(), "operator").foreignKey().sign())
                .when().get("/v1/audit").then().statusCode(401);
        given().auth().oauth2(issuer.token("x", orgA.toString(), "operator").audience("another-api").sign())
                .when().get("/v1/audit").then().statusCode(401);
        given().auth().oauth2(issuer.token("x", orgA.toString(), "operator").issuedAgo(Duration.ofHours(1), Duration.ofMinutes(5)).sign())
                .when().get("/v1/audit").then().statusCode(401);
        given().auth().oauth2(issuer.token("x", orgA.toString(), "operator").unsigned())
                .when().get("/v1/audit").then().statusCode(401);
        given().auth().oauth2(issuer.token("x", orgA.toString(), "operator").issuer("http://127.0.0.1:1/elsewhere").sign())
                .when().get("/v1/audit").then().statusCode(401);
        // Signed by the right issuer for the right audience, but not an access token (e.g. an ID token).
        given().auth().oauth2(issuer.token("x", orgA.toString(), "operator").type("JWT").sign())
                .when().get("/v1/audit").then().statusCode(401);
    }

    /** One case per way a bearer token can be forged or misdirected; each is refused with 401 by quarkus-oidc. */
    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"alg none", "HS256 keyed with the public key", "unknown kid",
            "foreign key under the published kid", "wrong iss", "wrong aud", "expired", "ID token (typ JWT)"})
    void aForgedOrMisdirectedTokenIsRefused(String kind) {
        TestIssuer.Token token = TestIssuer.shared().token("x", orgA.toString(), "operator");
        // The same token, well formed, is accepted: each case below changes exactly one thing.
        given().auth().oauth2(TestIssuer.shared().token("x", orgA.toString(), "operator").sign())
                .when().get("/v1/audit").then().statusCode(200);
        String bad = switch (kind) {
            case "alg none" -> token.unsigned();
            case "HS256 keyed with the public key" -> token.hs256WithPublicKey().sign();
            case "unknown kid" -> token.unknownKeyId().sign();
            case "foreign key under the published kid" -> token.foreignKey().sign();
            case "wrong iss" -> token.issuer("http://127.0.0.1:1/elsewhere").sign();
            case "wrong aud" -> token.audience("another-api").sign();
            case "expired" -> token.issuedAgo(Duration.ofHours(1), Duration.ofMinutes(5)).sign();
            case "ID token (typ JWT)" -> token.type("JWT").sign();
            default -> throw new IllegalArgumentException(kind);
        };
        given().auth().oauth2(bad).when().get("/v1/audit").then().statusCode(401);
    }

    @Test
    void aTokenWithoutAnOrganizationIsForbidden() {
        String noOrg = TestIssuer.shared().token("x", null, "operator").sign();
        given().auth().oauth2(noOrg).when().get("/v1/audit")
                .then().statusCode(403).contentType("application/problem+json");
        String badOrg = TestIssuer.shared().token("x", "acme", "operator").sign();
        given().auth().oauth2(badOrg).when().get("/v1/audit")
                .then().statusCode(403).contentType("application/problem+json");
    }

    @Test
    void badParametersAreProblems() {
        String operator = token("ops-" + orgA, orgA, "operator");
        for (Map<String, String> bad : List.of(Map.of("limit", "0"), Map.of("limit", "501"), Map.of("limit", "ten"),
                Map.of("after", "0"), Map.of("after", "-5"), Map.of("after", "x"), Map.of("doorId", "a door"),
                Map.of("lockId", "l".repeat(257)), Map.of("actionAttemptId", "'; drop table audit_entry; --"))) {
            given().auth().oauth2(operator).queryParams(bad)
                    .when().get("/v1/audit")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("status", equalTo(400))
                    .body("type", equalTo("https://portcullis.dev/problems/invalid-parameter"))
                    .body("parameter", equalTo(bad.keySet().iterator().next()))
                    .body("detail", notNullValue());
        }
    }

    @Test
    void aCallerWithNoEntriesGetsAnEmptyPage() {
        given().auth().oauth2(token("nobody", UUID.randomUUID()))
                .when().get("/v1/audit")
                .then().statusCode(200).body("entries", empty()).body("nextCursor", nullValue());
        given().auth().oauth2(token("ops-" + orgA, orgA, "operator")).queryParam("doorId", door)
                .when().get("/v1/audit")
                .then().statusCode(200).body("entries.doorId", everyItem(equalTo(door)))
                .body("entries", hasSize(12))
                .body("entries.actor.type", everyItem(equalTo("user")));
    }
}
