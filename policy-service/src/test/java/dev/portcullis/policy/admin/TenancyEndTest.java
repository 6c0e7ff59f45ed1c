package dev.portcullis.policy.admin;

import static dev.portcullis.policy.admin.PolicyFixtures.authorize;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.policy.decision.AuthorizeTest;
import dev.portcullis.policy.decision.TestClock;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.EndTenancyRequest;
import dev.portcullis.proto.policy.v1.EndTenancyResponse;
import dev.portcullis.proto.policy.v1.PolicyService;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tenant turnover over gRPC: exactly the previous tenant's own grants at that property are revoked, as recorded changes. */
@QuarkusTest
@TestProfile(AuthorizeTest.Seeded.class)
class TenancyEndTest {

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    TestClock clock;

    @BeforeEach
    void now() {
        clock.set(Instant.now());
    }

    private EndTenancyResponse end(UUID org, UUID property, String... subjects) {
        return policy.endTenancy(EndTenancyRequest.newBuilder().setOrganizationId(org.toString()).setPropertyId(property.toString())
                .addAllSubjectIds(List.of(subjects)).setOperatorSubject("ops-1").setReason("tenant turnover of unit 4B").build())
                .await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void theTenantsOwnGrantsAtThePropertyAreRevokedAndNothingElse() {
        PolicyFixtures f = new PolicyFixtures();
        UUID area = UUID.fromString(f.admin().body(Map.of("propertyId", f.property.toString(), "name", "Lobby and garage",
                "doorIds", List.of(f.door.toString()))).post("/areas").then().statusCode(201).extract().path("id"));
        UUID doorGrant = f.grantTo("tom");
        UUID areaGrant = f.grant(Map.of("granteeKind", "subject", "granteeValue", "tom", "areaId", area.toString()));
        f.grantTo("amy");
        f.grant(Map.of("granteeKind", "group", "granteeValue", UUID.fromString(f.admin().body(Map.of("name", "Cleaners",
                "members", List.of("tom"))).post("/groups").then().statusCode(201).extract().<String>path("id")).toString(),
                "doorId", f.door.toString(), "schedule", "always"));
        // tom's grant at another property of the organization stays
        UUID elsewhere = UUID.fromString(f.admin().body(Map.of("name", "Annex", "timeZone", "UTC")).post("/properties")
                .then().statusCode(201).extract().path("id"));
        UUID annexDoor = UUID.randomUUID();
        f.admin().body(Map.of("propertyId", elsewhere.toString(), "name", "Annex door")).put("/doors/" + annexDoor).then().statusCode(200);
        f.grant(Map.of("granteeKind", "subject", "granteeValue", "tom", "doorId", annexDoor.toString(), "schedule", "always"));

        // another organization naming this property revokes nothing here
        assertEquals(0, end(UUID.randomUUID(), f.property, "tom").getRevokedGrantIdsCount());

        EndTenancyResponse ended = end(f.org, f.property, "tom");
        assertEquals(Set.of(doorGrant.toString(), areaGrant.toString()), Set.copyOf(ended.getRevokedGrantIdsList()));
        f.admin().get("/grants/" + doorGrant).then().statusCode(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> authorize(policy, f.org, "tom", annexDoor).getDecision() == Decision.DECISION_PERMIT);
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "amy", f.door).getDecision());
        // still opens through the group grant, which names no tenant
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "tom", f.door).getDecision());

        // repeating it revokes nothing more
        assertEquals(0, end(f.org, f.property, "tom").getRevokedGrantIdsCount());
    }

    @Test
    void aBadRequestIsInvalidArgument() {
        StatusRuntimeException bad = assertThrows(StatusRuntimeException.class, () -> end(UUID.randomUUID(), UUID.randomUUID()));
        assertEquals(Status.Code.INVALID_ARGUMENT, bad.getStatus().getCode());
    }
}
