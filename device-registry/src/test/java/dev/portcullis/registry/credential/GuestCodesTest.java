package dev.portcullis.registry.credential;

import static dev.portcullis.registry.credential.CredentialLifecycleTest.awaitState;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.door;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.issued;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.opens;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.proto.policy.v1.CheckAccessRequest;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.credential.CredentialLifecycleTest.Door;
import dev.portcullis.testkit.oidc.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Tenants' guest codes over real HTTP, gRPC, PostgreSQL and Kafka ({@link TestPolicy} answers CheckAccess,
 * {@link TestLockGateway} is the lock): a tenant whose grants open the door gets a temporary PIN shown once that
 * reaches the lock; every refusal (no access, another organization's door, a too-long or past validity, somebody
 * else's code, policy unreachable) writes nothing.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class GuestCodesTest {

    @Inject
    RegistryFixtures fixtures;

    static RequestSpecification as(String subject, UUID org) {
        return given().auth().oauth2(TestIssuer.shared().token(subject, org.toString(), "tenant").sign())
                .contentType(ContentType.JSON).accept(ContentType.JSON);
    }

    /** A door of a new organization whose tenant's grants open it (as policy answers). */
    static Door doorOf(String tenant) {
        Door d = door(10, 20);
        TestPolicy.OPENS.add(tenant + " " + d.door());
        return d;
    }

    static Map<String, Object> code(Door d, String guest, Instant until) {
        return Map.of("doorId", d.door().toString(), "guestName", guest, "validUntil", until.toString());
    }

    long guestCodes(UUID door) {
        return (Long) fixtures.scalar("select count(*) from credential where door_id = ?", door);
    }

    @Test
    void aGuestCodeNeverOutlastsTheTenantsOwnAccess() {
        String tenant = "tenant-" + UUID.randomUUID();
        Door d = doorOf(tenant);
        // the tenant moves out tomorrow: their grants stop opening the door then
        TestPolicy.ACCESS_ENDS.put(tenant + " " + d.door(), Instant.now().plus(Duration.ofDays(1)));
        Instant tooLate = Instant.now().plus(Duration.ofDays(3)).truncatedTo(ChronoUnit.SECONDS);
        Response refused = as(tenant, d.op().org()).body(code(d, "Subletter", tooLate)).post("/v1/me/guest-codes").andReturn();
        assertEquals(403, refused.statusCode(), refused.asString());
        assertTrue(refused.jsonPath().getString("detail").contains("cannot outlast"), refused.asString());
        assertEquals(0L, guestCodes(d.door()), "nothing written");

        Instant beforeMoving = Instant.now().plus(Duration.ofHours(12)).truncatedTo(ChronoUnit.SECONDS);
        as(tenant, d.op().org()).body(code(d, "Plumber", beforeMoving)).post("/v1/me/guest-codes").then().statusCode(201);
        assertEquals(1L, guestCodes(d.door()));
    }

    @Test
    void aTenantGivesAGuestATemporaryPinShownOnceThatReachesTheLock() {
        String tenant = "tenant-" + UUID.randomUUID();
        Door d = doorOf(tenant);
        Instant until = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        Response created = as(tenant, d.op().org()).body(code(d, "Grandma Rose", until)).post("/v1/me/guest-codes").andReturn();
        assertEquals(201, created.statusCode(), created.asString());
        assertEquals("no-store", created.header("Cache-Control"));
        String pin = created.jsonPath().getString("pin");
        assertTrue(pin.matches("[0-9]{6}"), pin);
        UUID id = UUID.fromString(created.jsonPath().getString("id"));
        assertEquals("Grandma Rose", created.jsonPath().getString("guestName"));
        assertEquals("Front", created.jsonPath().getString("door"));

        // policy was asked about this tenant, this door and the code's whole validity
        CheckAccessRequest asked = TestPolicy.ACCESS_CHECKS.stream().filter(r -> r.getDoorId().equals(d.door().toString()))
                .findFirst().orElseThrow();
        assertEquals(tenant, asked.getSubjectId());
        assertEquals(d.op().org().toString(), asked.getOrganizationId());
        assertEquals(until.getEpochSecond(), asked.getTo().getSeconds());
        assertTrue(Math.abs(asked.getFrom().getSeconds() - Instant.now().getEpochSecond()) < 30);

        // the operators' issue path: a temporary PIN, issued by the tenant, that the lock confirms and holds
        awaitState(d, id, "active");
        assertTrue(opens(d, pin), "the lock holds the guest's PIN");
        d.op().call().get("/credentials/" + id).then().statusCode(200).body("usage", equalTo("temporary"))
                .body("type", equalTo("PIN")).body("issuedBy", equalTo(tenant)).body("label", equalTo("Grandma Rose"))
                .body("pin", nullValue());

        // listed for the tenant, never with the PIN
        as(tenant, d.op().org()).get("/v1/me/guest-codes").then().statusCode(200)
                .body("id", org.hamcrest.Matchers.contains(id.toString()))
                .body("[0].state", equalTo("active")).body("[0].pin", nullValue()).body("[0].expired", equalTo(false));
        assertFalse(as(tenant, d.op().org()).get("/v1/me/guest-codes").asString().contains(pin));

        // revoked by the tenant: two-phase like any revocation, then gone from the lock
        as(tenant, d.op().org()).post("/v1/me/guest-codes/" + id + "/revoke").then().statusCode(200)
                .body("state", org.hamcrest.Matchers.oneOf("revoke_pending", "revoked"));
        awaitState(d, id, "revoked");
        assertFalse(opens(d, pin), "the lock no longer opens for the guest");
        as(tenant, d.op().org()).get("/v1/me/guest-codes").then().statusCode(200).body("[0].state", equalTo("revoked"));
    }

    @Test
    void aTenantWhoseGrantsDoNotOpenTheDoorIsRefusedAndNothingIsWritten() {
        Door d = door(10, 20);
        long outbox = fixtures.count("outbox_event");
        as("tenant-no-grant", d.op().org()).body(code(d, "Guest", Instant.now().plus(Duration.ofDays(1)))).post("/v1/me/guest-codes")
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("cannot open this door"));
        assertEquals(0, guestCodes(d.door()));
        assertEquals(outbox, fixtures.count("outbox_event"));
    }

    @Test
    void anotherOrganizationsDoorDoesNotExistForTheTenantAndPolicyIsNotAsked() {
        String tenant = "tenant-" + UUID.randomUUID();
        Door d = doorOf(tenant);
        int checks = TestPolicy.ACCESS_CHECKS.size();
        // the same subject signed in to another organization
        as(tenant, UUID.randomUUID()).body(code(d, "Guest", Instant.now().plus(Duration.ofDays(1)))).post("/v1/me/guest-codes")
                .then().statusCode(404).contentType("application/problem+json");
        assertEquals(checks, TestPolicy.ACCESS_CHECKS.size());
        assertEquals(0, guestCodes(d.door()));
    }

    @Test
    void validityIsBoundedAndStartsNowOrLater() {
        String tenant = "tenant-" + UUID.randomUUID();
        Door d = doorOf(tenant);
        Instant now = Instant.now();
        as(tenant, d.op().org()).body(code(d, "Guest", now.plus(Duration.ofDays(7)).plus(Duration.ofMinutes(5)))).post("/v1/me/guest-codes")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("at most 7 days"));
        as(tenant, d.op().org()).body(Map.of("doorId", d.door().toString(), "guestName", "Guest",
                "validFrom", now.minus(Duration.ofMinutes(10)).toString(), "validUntil", now.plus(Duration.ofDays(1)).toString()))
                .post("/v1/me/guest-codes").then().statusCode(400).body("detail", containsString("in the past"));
        as(tenant, d.op().org()).body(Map.of("doorId", d.door().toString(), "guestName", "Guest",
                "validFrom", now.plus(Duration.ofDays(2)).toString(), "validUntil", now.plus(Duration.ofDays(1)).toString()))
                .post("/v1/me/guest-codes").then().statusCode(400).body("detail", containsString("after validFrom"));
        as(tenant, d.op().org()).body(Map.of("doorId", d.door().toString(), "validUntil", now.plus(Duration.ofDays(1)).toString()))
                .post("/v1/me/guest-codes").then().statusCode(400).body("detail", containsString("guestName"));
        as(tenant, d.op().org()).body(Map.of("doorId", d.door().toString(), "guestName", "Guest", "pin", "123456",
                "validUntil", now.plus(Duration.ofDays(1)).toString())).post("/v1/me/guest-codes").then().statusCode(400);
        assertEquals(0, guestCodes(d.door()));
        // a code starting in a few seconds' past (a slow form) is fine
        as(tenant, d.op().org()).body(Map.of("doorId", d.door().toString(), "guestName", "Guest",
                "validFrom", now.minus(Duration.ofSeconds(20)).toString(), "validUntil", now.plus(Duration.ofDays(7)).minusSeconds(30).toString()))
                .post("/v1/me/guest-codes").then().statusCode(201);
    }

    @Test
    void onlyTheTenantWhoGaveACodeSeesAndRevokesIt() {
        String tenant = "tenant-" + UUID.randomUUID();
        String neighbour = "tenant-" + UUID.randomUUID();
        Door d = doorOf(tenant);
        TestPolicy.OPENS.add(neighbour + " " + d.door());
        UUID mine = UUID.fromString(as(tenant, d.op().org()).body(code(d, "Guest", Instant.now().plus(Duration.ofDays(1))))
                .post("/v1/me/guest-codes").then().statusCode(201).extract().path("id"));
        UUID operatorsPin = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "602913", "holderSubjectId", tenant));

        as(neighbour, d.op().org()).get("/v1/me/guest-codes").then().statusCode(200).body("size()", equalTo(0));
        as(neighbour, d.op().org()).post("/v1/me/guest-codes/" + mine + "/revoke").then().statusCode(404)
                .contentType("application/problem+json");
        as(tenant, UUID.randomUUID()).post("/v1/me/guest-codes/" + mine + "/revoke").then().statusCode(404);
        // a credential an operator issued to the tenant is not a guest code the tenant can revoke
        as(tenant, d.op().org()).post("/v1/me/guest-codes/" + operatorsPin + "/revoke").then().statusCode(404);
        as(tenant, d.op().org()).get("/v1/me/guest-codes").then().statusCode(200).body("id", org.hamcrest.Matchers.contains(mine.toString()));
        assertEquals(2L, fixtures.scalar("select count(*) from credential where id in (?, ?) and revoke_requested_at is null",
                mine, operatorsPin), "untouched by the refusals");
        as(tenant, d.op().org()).post("/v1/me/guest-codes/not-an-id/revoke").then().statusCode(404);
    }

    @Test
    void unreachablePolicyIsAClear503AndNoTokenIs401() {
        String tenant = "tenant-" + UUID.randomUUID();
        Door d = doorOf(tenant);
        TestPolicy.available = false;
        try {
            as(tenant, d.op().org()).body(code(d, "Guest", Instant.now().plus(Duration.ofDays(1)))).post("/v1/me/guest-codes")
                    .then().statusCode(503).contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.notNullValue());
        } finally {
            TestPolicy.available = true;
        }
        assertEquals(0, guestCodes(d.door()));
        given().contentType(ContentType.JSON).get("/v1/me/guest-codes").then().statusCode(401);
        given().contentType(ContentType.JSON).body(code(d, "Guest", Instant.now().plus(Duration.ofDays(1)))).post("/v1/me/guest-codes")
                .then().statusCode(401);
    }
}
