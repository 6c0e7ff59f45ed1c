package dev.portcullis.policy.admin;

import static dev.portcullis.policy.admin.PolicyFixtures.authorize;
import static dev.portcullis.policy.admin.PolicyFixtures.token;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.policy.decision.AuthorizeTest;
import dev.portcullis.policy.decision.TestClock;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.proto.policy.v1.Reason;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Full updates (PUT) of buildings, units, areas, groups and role assignments: versioned, recorded, organization-scoped. */
@QuarkusTest
@TestProfile(AuthorizeTest.Seeded.class)
class PolicyUpdatesTest {

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @BeforeEach
    void now() {
        clock.set(Instant.now());
    }

    @Test
    void aBuildingIsRenamedOrMovedOnlyWithItsDoors() {
        PolicyFixtures f = new PolicyFixtures();
        PolicyFixtures other = new PolicyFixtures();
        UUID building = create(f, "/buildings", Map.of("propertyId", f.property.toString(), "name", "Tower A"));
        UUID annex = create(f, "/properties", Map.of("name", "Annex", "timeZone", "UTC"));
        long version = version(f.org);

        f.admin().body(Map.of("propertyId", annex.toString(), "name", "Tower B")).put("/buildings/" + building).then().statusCode(200)
                .body("name", equalTo("Tower B")).body("propertyId", equalTo(annex.toString()));
        assertRecorded(f, version, "building", building, "Tower A", "Tower B");

        f.admin().body(Map.of("propertyId", annex.toString(), "name", " ")).put("/buildings/" + building).then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("name"));
        f.admin().body(Map.of("propertyId", other.property.toString(), "name", "Tower C")).put("/buildings/" + building)
                .then().statusCode(422).contentType("application/problem+json");
        other.admin().body(Map.of("propertyId", other.property.toString(), "name", "Mine")).put("/buildings/" + building)
                .then().statusCode(404);
        underPathOf(other, f.org).body(Map.of("propertyId", annex.toString(), "name", "Mine")).put("/buildings/" + building)
                .then().statusCode(404).contentType("application/problem+json");
        f.admin().body(Map.of("propertyId", annex.toString(), "name", "Nowhere")).put("/buildings/" + UUID.randomUUID()).then().statusCode(404);

        // A door placed in the building keeps it in the door's property.
        f.admin().body(Map.of("propertyId", annex.toString(), "buildingId", building.toString(), "name", "Annex door"))
                .put("/doors/" + UUID.randomUUID()).then().statusCode(200);
        f.admin().body(Map.of("propertyId", f.property.toString(), "name", "Tower B")).put("/buildings/" + building).then().statusCode(409);
        f.admin().get("/buildings/" + building).then().statusCode(200).body("propertyId", equalTo(annex.toString()));
    }

    @Test
    void aUnitIsRenamedOrMovedToAnotherBuilding() {
        PolicyFixtures f = new PolicyFixtures();
        PolicyFixtures other = new PolicyFixtures();
        UUID first = create(f, "/buildings", Map.of("propertyId", f.property.toString(), "name", "Tower A"));
        UUID second = create(f, "/buildings", Map.of("propertyId", f.property.toString(), "name", "Tower B"));
        UUID unit = create(f, "/units", Map.of("buildingId", first.toString(), "name", "Apt 1"));
        long version = version(f.org);

        f.admin().body(Map.of("buildingId", second.toString(), "name", "Apt 2")).put("/units/" + unit).then().statusCode(200)
                .body("buildingId", equalTo(second.toString())).body("name", equalTo("Apt 2"));
        assertRecorded(f, version, "unit", unit, "Apt 1", "Apt 2");

        f.admin().body(Map.of("name", "Apt 3")).put("/units/" + unit).then().statusCode(400).body("detail", containsString("buildingId"));
        other.admin().body(Map.of("buildingId", second.toString(), "name", "Apt 3")).put("/units/" + unit).then().statusCode(404);
        underPathOf(other, f.org).body(Map.of("buildingId", second.toString(), "name", "Apt 3")).put("/units/" + unit).then().statusCode(404);

        // A door placed in the unit (and its building) pins the unit to that building.
        f.admin().body(Map.of("propertyId", f.property.toString(), "buildingId", second.toString(), "unitId", unit.toString(),
                "name", "Apt door")).put("/doors/" + UUID.randomUUID()).then().statusCode(200);
        f.admin().body(Map.of("buildingId", first.toString(), "name", "Apt 2")).put("/units/" + unit).then().statusCode(409);
    }

    @Test
    void anAreaIsReplacedAndItsGrantFollowsAtTheNextDecision() {
        PolicyFixtures f = new PolicyFixtures();
        PolicyFixtures other = new PolicyFixtures();
        UUID area = create(f, "/areas", Map.of("propertyId", f.property.toString(), "name", "Common doors",
                "doorIds", List.of(f.door.toString())));
        f.grant(Map.of("granteeKind", "subject", "granteeValue", "nina", "areaId", area.toString()));
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "nina", f.door).getDecision());
        long version = version(f.org);

        f.admin().body(Map.of("propertyId", f.property.toString(), "name", "Lobby only", "doorIds", List.of())).put("/areas/" + area)
                .then().statusCode(200).body("name", equalTo("Lobby only")).body("doorIds", empty());
        assertRecorded(f, version, "area", area, "Common doors", "Lobby only");
        assertEquals(List.of(Reason.REASON_NO_GRANT), authorize(policy, f.org, "nina", f.door).getReasonsList());

        f.admin().body(Map.of("propertyId", f.property.toString(), "name", "Lobby only")).put("/areas/" + area).then().statusCode(400)
                .body("detail", containsString("doorIds"));
        f.admin().body(Map.of("propertyId", f.property.toString(), "name", "Theirs", "doorIds", List.of(other.door.toString())))
                .put("/areas/" + area).then().statusCode(422).contentType("application/problem+json");
        f.admin().get("/areas/" + area).then().statusCode(200).body("name", equalTo("Lobby only"));
        other.admin().body(Map.of("propertyId", other.property.toString(), "name", "Mine", "doorIds", List.of())).put("/areas/" + area)
                .then().statusCode(404);
        underPathOf(other, f.org).body(Map.of("propertyId", f.property.toString(), "name", "Mine", "doorIds", List.of()))
                .put("/areas/" + area).then().statusCode(404);
    }

    @Test
    void aGroupIsReplacedAndARemovedMemberIsDeniedAtTheNextDecision() {
        PolicyFixtures f = new PolicyFixtures();
        PolicyFixtures other = new PolicyFixtures();
        UUID group = create(f, "/groups", Map.of("name", "Cleaning crew", "members", List.of("olav", "pia")));
        f.grant(Map.of("granteeKind", "group", "granteeValue", group.toString(), "doorId", f.door.toString()));
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "olav", f.door).getDecision());
        long version = version(f.org);

        f.admin().body(Map.of("name", "Night crew", "members", List.of("pia", "quinn"))).put("/groups/" + group).then().statusCode(200)
                .body("name", equalTo("Night crew")).body("members", contains("pia", "quinn"));
        assertRecorded(f, version, "group", group, "Cleaning crew", "Night crew");
        assertEquals(List.of(Reason.REASON_NO_GRANT), authorize(policy, f.org, "olav", f.door).getReasonsList());
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "quinn", f.door).getDecision());

        f.admin().body(Map.of("name", "Night crew", "members", List.of("pia", " "))).put("/groups/" + group).then().statusCode(400)
                .body("detail", containsString("members"));
        f.admin().body(Map.of("name", "Night crew")).put("/groups/" + group).then().statusCode(400);
        other.admin().body(Map.of("name", "Mine", "members", List.of())).put("/groups/" + group).then().statusCode(404);
        underPathOf(other, f.org).body(Map.of("name", "Mine", "members", List.of())).put("/groups/" + group).then().statusCode(404);
        f.admin().get("/groups/" + group).then().statusCode(200).body("members", contains("pia", "quinn"));
    }

    @Test
    void aRoleAssignmentIsReplaced() {
        PolicyFixtures f = new PolicyFixtures();
        PolicyFixtures other = new PolicyFixtures();
        f.grant(Map.of("granteeKind", "role", "granteeValue", "maintenance", "doorId", f.door.toString()));
        UUID assignment = create(f, "/role-assignments", Map.of("subjectId", "rex", "role", "maintenance",
                "propertyId", f.property.toString()));
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "rex", f.door).getDecision());
        long version = version(f.org);

        f.admin().body(Map.of("subjectId", "rex", "role", "tenant")).put("/role-assignments/" + assignment).then().statusCode(200)
                .body("role", equalTo("tenant")).body("propertyId", nullValue());
        assertRecorded(f, version, "role_assignment", assignment, "maintenance", "tenant");
        assertEquals(List.of(Reason.REASON_NO_GRANT), authorize(policy, f.org, "rex", f.door).getReasonsList());
        f.admin().get("/role-assignments/" + assignment).then().statusCode(200).body("subjectId", equalTo("rex"));

        f.admin().body(Map.of("subjectId", "rex", "role", "wizard")).put("/role-assignments/" + assignment).then().statusCode(400)
                .contentType("application/problem+json");
        f.admin().body(Map.of("subjectId", "rex", "role", "tenant", "propertyId", other.property.toString()))
                .put("/role-assignments/" + assignment).then().statusCode(422);
        // The same role for the same subject twice is a conflict.
        UUID second = create(f, "/role-assignments", Map.of("subjectId", "sue", "role", "tenant"));
        f.admin().body(Map.of("subjectId", "rex", "role", "tenant")).put("/role-assignments/" + second).then().statusCode(409);
        other.admin().body(Map.of("subjectId", "rex", "role", "owner")).put("/role-assignments/" + assignment).then().statusCode(404);
        other.admin().get("/role-assignments/" + assignment).then().statusCode(404);
        underPathOf(other, f.org).body(Map.of("subjectId", "rex", "role", "owner")).put("/role-assignments/" + assignment)
                .then().statusCode(404);
        f.admin().get("/role-assignments/" + assignment).then().statusCode(200).body("role", equalTo("tenant"));
    }

    private static UUID create(PolicyFixtures f, String path, Map<String, Object> body) {
        return UUID.fromString(f.admin().body(body).post(path).then().statusCode(201).extract().path("id"));
    }

    /** Another organization's operator asking under this organization's path. */
    private static io.restassured.specification.RequestSpecification underPathOf(PolicyFixtures other, UUID org) {
        return other.as(token(other.operator, other.org, "operator")).basePath("/admin/v1/organizations/" + org);
    }

    private long version(UUID org) {
        return pool.preparedQuery("SELECT version FROM policy_version WHERE organization_id = $1").execute(Tuple.of(org)).await()
                .indefinitely().iterator().next().getLong("version");
    }

    /** The update bumped the version by one and is in the history as 'updated' by the operator, before and after. */
    private void assertRecorded(PolicyFixtures f, long versionBefore, String entityType, UUID id, String before, String after) {
        assertEquals(versionBefore + 1, version(f.org));
        Row row = pool.preparedQuery("SELECT operation, actor, version, cast(before AS text) AS before, cast(after AS text) AS after "
                        + "FROM policy_change WHERE organization_id = $1 AND entity_type = $2 AND entity_id = $3 ORDER BY version DESC LIMIT 1")
                .execute(Tuple.of(f.org, entityType, id.toString())).await().indefinitely().iterator().next();
        assertEquals("updated", row.getString("operation"));
        assertEquals(f.operator, row.getString("actor"));
        assertEquals(versionBefore + 1, row.getLong("version"));
        org.hamcrest.MatcherAssert.assertThat(row.getString("before"), containsString(before));
        org.hamcrest.MatcherAssert.assertThat(row.getString("after"), containsString(after));
    }
}
