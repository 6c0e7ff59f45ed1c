package dev.portcullis.policy.admin;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.portcullis.policy.decision.AuthorizeTest;
import dev.portcullis.proto.policy.v1.CheckAccessRequest;
import dev.portcullis.proto.policy.v1.CheckAccessResponse;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Self-service reads over real HTTP, gRPC and PostgreSQL: {@code GET /v1/me/doors} answers only for the token's own
 * subject and organization, and {@code CheckAccess} tells whether a subject's grants open a door in a window without
 * consuming a use.
 */
@QuarkusTest
@TestProfile(AuthorizeTest.Seeded.class)
class MyDoorsTest {

    /** Monday 2026-11-23 10:00 UTC (the fixtures' property is in UTC). */
    static final String MONDAY_10 = "2026-11-23T10:00:00Z";

    @GrpcClient("policy")
    PolicyService policy;

    record Org(PolicyFixtures f, UUID roof, UUID office) {
    }

    /** Front entrance (weekdays 08–18) and Rooftop terrace (Saturdays 10–12) for kim; the office door for lee only. */
    static Org organization() {
        PolicyFixtures f = new PolicyFixtures();
        UUID roof = UUID.randomUUID();
        UUID office = UUID.randomUUID();
        f.admin().body(Map.of("propertyId", f.property.toString(), "name", "Rooftop terrace")).put("/doors/" + roof).then().statusCode(200);
        f.admin().body(Map.of("propertyId", f.property.toString(), "name", "Office")).put("/doors/" + office).then().statusCode(200);
        f.grant(Map.of("granteeKind", "subject", "granteeValue", "kim", "doorId", f.door.toString(), "schedule", "MON-FRI 08:00-18:00"));
        f.grant(Map.of("granteeKind", "subject", "granteeValue", "kim", "doorId", roof.toString(), "schedule", "SAT 10:00-12:00"));
        f.grant(Map.of("granteeKind", "subject", "granteeValue", "lee", "doorId", office.toString(), "schedule", "always"));
        return new Org(f, roof, office);
    }

    static io.restassured.specification.RequestSpecification as(String subject, UUID org, String... roles) {
        return given().auth().oauth2(PolicyFixtures.token(subject, org, roles)).accept(ContentType.JSON);
    }

    @Test
    void aTenantSeesTheDoorsTheyCanOpenNowAndWhenTheOthersOpen() {
        Org o = organization();
        as("kim", o.f().org, "tenant").queryParam("at", MONDAY_10).get("/v1/me/doors").then().statusCode(200)
                .body("subjectId", equalTo("kim"))
                .body("doors.door", contains("Front entrance", "Rooftop terrace"))
                .body("doors[0].doorId", equalTo(o.f().door.toString()))
                .body("doors[0].openNow", equalTo(true))
                .body("doors[0].nextOpening", nullValue())
                .body("doors[1].doorId", equalTo(o.roof().toString()))
                .body("doors[1].openNow", equalTo(false))
                .body("doors[1].nextOpening", equalTo("2026-11-28T10:00:00Z"));
    }

    @Test
    void onlyTheTokensOwnSubjectAndOrganizationAreAnswered() {
        Org o = organization();
        // lee's office never shows up for kim, and kim's doors never for lee
        as("kim", o.f().org, "tenant").queryParam("at", MONDAY_10).get("/v1/me/doors").then().statusCode(200)
                .body("doors.doorId", not(hasItem(o.office().toString())));
        as("lee", o.f().org, "tenant").queryParam("at", MONDAY_10).get("/v1/me/doors").then().statusCode(200)
                .body("doors.door", contains("Office"));
        // the same subject name in another organization sees nothing of this one
        as("kim", UUID.randomUUID(), "tenant", "operator").queryParam("at", MONDAY_10).get("/v1/me/doors").then().statusCode(200)
                .body("doors", empty());
        // a query parameter cannot ask about somebody else
        as("lee", o.f().org, "tenant").queryParam("at", MONDAY_10).queryParam("subject", "kim").get("/v1/me/doors").then().statusCode(200)
                .body("subjectId", equalTo("lee")).body("doors.door", contains("Office"));
    }

    @Test
    void noTokenIsUnauthorizedAndBadParametersAreProblems() {
        given().accept(ContentType.JSON).get("/v1/me/doors").then().statusCode(401);
        UUID org = UUID.randomUUID();
        as("kim", org, "tenant").queryParam("horizon", "P90D").get("/v1/me/doors").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("horizon"));
        as("kim", org, "tenant").queryParam("at", "tomorrow").get("/v1/me/doors").then().statusCode(400)
                .contentType("application/problem+json");
    }

    @Test
    void checkAccessTellsWhetherTheSubjectsGrantsOpenTheDoorWithinAWindow() {
        Org o = organization();
        UUID org = o.f().org;
        // Saturday: the weekday grant does not open the front door that day, but does by Monday 09:00
        CheckAccessResponse saturday = check(org, "kim", o.f().door, "2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z");
        assertTrue(saturday.getDoorKnown());
        assertFalse(saturday.getOpens());
        CheckAccessResponse untilMonday = check(org, "kim", o.f().door, "2026-11-28T00:00:00Z", "2026-11-30T09:00:00Z");
        assertTrue(untilMonday.getOpens());
        assertEquals(Instant.parse("2026-11-30T08:00:00Z").getEpochSecond(), untilMonday.getFirstOpening().getSeconds());
        // lee has no grant on the front door; kim none on the office; an unknown door is said to be unknown
        assertFalse(check(org, "lee", o.f().door, MONDAY_10, "2026-11-24T10:00:00Z").getOpens());
        assertFalse(check(org, "kim", o.office(), MONDAY_10, "2026-11-24T10:00:00Z").getOpens());
        CheckAccessResponse unknown = check(org, "kim", UUID.randomUUID(), MONDAY_10, "2026-11-24T10:00:00Z");
        assertFalse(unknown.getDoorKnown());
        assertFalse(unknown.getOpens());
        // another organization's policy is not this one's
        assertFalse(check(UUID.randomUUID(), "kim", o.f().door, MONDAY_10, "2026-11-24T10:00:00Z").getOpens());
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> check(org, "kim", o.f().door, MONDAY_10, "2027-01-23T10:00:00Z"));
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> check(org, "", o.f().door, MONDAY_10, "2026-11-24T10:00:00Z"));
    }

    @Test
    void checkAccessConsumesNoUse() {
        PolicyFixtures f = new PolicyFixtures();
        f.grant(Map.of("granteeKind", "subject", "granteeValue", "una", "doorId", f.door.toString(), "maxUses", 1));
        Instant now = Instant.now();
        for (int i = 0; i < 3; i++) {
            assertTrue(check(f.org, "una", f.door, now.toString(), now.plus(Duration.ofDays(1)).toString()).getOpens());
        }
        assertEquals(Decision.DECISION_PERMIT, PolicyFixtures.authorize(policy, f.org, "una", f.door).getDecision(),
                "the one use is still there after three checks");
        assertFalse(check(f.org, "una", f.door, Instant.now().toString(), Instant.now().plus(Duration.ofDays(1)).toString()).getOpens(),
                "a grant whose uses are spent opens nothing");
    }

    private CheckAccessResponse check(UUID org, String subject, UUID door, String from, String to) {
        return policy.checkAccess(CheckAccessRequest.newBuilder().setOrganizationId(org.toString()).setSubjectId(subject)
                .setDoorId(door.toString()).setFrom(timestamp(from)).setTo(timestamp(to)).build()).await().atMost(Duration.ofSeconds(10));
    }

    private static Timestamp timestamp(String instant) {
        Instant at = Instant.parse(instant);
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }

    private static void assertStatus(Status.Code code, Executable call) {
        StatusRuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, failure.getStatus().getCode());
    }
}
