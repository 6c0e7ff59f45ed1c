package dev.portcullis.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.Timestamp;
import dev.portcullis.proto.common.v1.Authentication;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.policy.v1.AuthorizationContext;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.proto.policy.v1.StepUp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Authorize over real gRPC against real PostgreSQL, with the demo portfolio seeded from configuration. */
@QuarkusTest
@TestProfile(AuthorizeTest.Seeded.class)
public class AuthorizeTest {

    static final String ORG = "6f0d7a52-0c1e-4c55-9d1c-3b9f0b1a7e01";
    static final String TENANT = "5d3c2b1a-9e8f-4d7c-b6a5-4f3e2d1c0b01";
    static final String FRONT = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a10";
    static final String ROOFTOP = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a30";
    static final String SERVER_ROOM = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a40";
    static final ZoneId ZONE = ZoneId.of("America/New_York");

    public static class Seeded implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.ofEntries(
                    Map.entry("portcullis.demo.organization.id", ORG),
                    Map.entry("portcullis.demo.organization.name", "Harbor Lofts Management"),
                    Map.entry("portcullis.demo.property.id", UUID.randomUUID().toString()),
                    Map.entry("portcullis.demo.property.name", "Harbor Lofts"),
                    Map.entry("portcullis.demo.property.time-zone", ZONE.getId()),
                    Map.entry("portcullis.demo.doors[0].id", FRONT),
                    Map.entry("portcullis.demo.doors[0].name", "Front entrance"),
                    Map.entry("portcullis.demo.doors[0].lock-id", UUID.randomUUID().toString()),
                    Map.entry("portcullis.demo.doors[0].enrollment-secret", "unused-here"),
                    Map.entry("portcullis.demo.doors[0].tenant-schedule", "always"),
                    Map.entry("portcullis.demo.doors[1].id", ROOFTOP),
                    Map.entry("portcullis.demo.doors[1].name", "Rooftop terrace"),
                    Map.entry("portcullis.demo.doors[1].lock-id", UUID.randomUUID().toString()),
                    Map.entry("portcullis.demo.doors[1].enrollment-secret", "unused-here"),
                    Map.entry("portcullis.demo.doors[1].tenant-schedule", "THU 10:00-11:00"),
                    Map.entry("portcullis.demo.doors[2].id", SERVER_ROOM),
                    Map.entry("portcullis.demo.doors[2].name", "Server room"),
                    Map.entry("portcullis.demo.doors[2].lock-id", UUID.randomUUID().toString()),
                    Map.entry("portcullis.demo.doors[2].enrollment-secret", "unused-here"),
                    Map.entry("portcullis.demo.doors[2].tenant-schedule", "always"),
                    Map.entry("portcullis.demo.doors[2].required-acr", "aal2"),
                    Map.entry("portcullis.demo.doors[2].max-auth-age", "PT15M"),
                    Map.entry("portcullis.demo.tenant.id", TENANT),
                    Map.entry("portcullis.demo.tenant.username", "alex@example.test"),
                    Map.entry("portcullis.demo.tenant.display-name", "Alex"),
                    Map.entry("portcullis.demo.tenant.password", "unused-here"),
                    Map.entry("portcullis.demo.tenant.totp-secret", "unused-here"));
        }
    }

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    TestClock clock;

    private AuthorizeResponse authorize(String org, String subject, String door, String localTime) {
        clock.set(LocalDateTime.parse(localTime).atZone(ZONE).toInstant());
        return policy.authorize(AuthorizeRequest.newBuilder()
                .setOrganizationId(org).setSubjectId(subject).setDoorId(door).setAction(LockAction.LOCK_ACTION_UNLOCK)
                .build()).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void permitsInsideTheWeeklyWindowInThePropertysZone() {
        // 2026-11-26 is a Thursday.
        AuthorizeResponse response = authorize(ORG, TENANT, ROOFTOP, "2026-11-26T10:30");
        assertEquals(Decision.DECISION_PERMIT, response.getDecision());
        assertEquals(Reason.REASON_GRANT_MATCHED, response.getReasons(0));
        assertFalse(response.getGrantId().isEmpty());
        assertFalse(response.getPolicyVersion().isEmpty());
    }

    @Test
    void deniesOutsideTheWindowWithTheReason() {
        AuthorizeResponse response = authorize(ORG, TENANT, ROOFTOP, "2026-11-26T11:00");
        assertEquals(Decision.DECISION_DENY, response.getDecision());
        assertEquals(Reason.REASON_OUTSIDE_SCHEDULE, response.getReasons(0));
    }

    @Test
    void anotherSubjectHasNoGrant() {
        AuthorizeResponse response = authorize(ORG, UUID.randomUUID().toString(), FRONT, "2026-11-26T10:30");
        assertEquals(Decision.DECISION_DENY, response.getDecision());
        assertEquals(Reason.REASON_NO_GRANT, response.getReasons(0));
    }

    @Test
    void anotherOrganizationCannotSeeTheDoor() {
        AuthorizeResponse response = authorize(UUID.randomUUID().toString(), TENANT, FRONT, "2026-11-26T10:30");
        assertEquals(Decision.DECISION_DENY, response.getDecision());
        assertEquals(Reason.REASON_UNKNOWN_DOOR, response.getReasons(0));
    }

    @Test
    void malformedRequestsAreInvalidArguments() {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class,
                () -> authorize(ORG, TENANT, "not-a-uuid", "2026-11-26T10:30"));
        assertEquals(Status.Code.INVALID_ARGUMENT, failure.getStatus().getCode());
        StatusRuntimeException noAction = assertThrows(StatusRuntimeException.class, () -> policy.authorize(
                AuthorizeRequest.newBuilder().setOrganizationId(ORG).setSubjectId(TENANT).setDoorId(FRONT).build())
                .await().atMost(Duration.ofSeconds(10)));
        assertEquals(Status.Code.INVALID_ARGUMENT, noAction.getStatus().getCode());
    }

    private AuthorizeResponse authorizeSignedIn(String door, String acr, Instant authTime) {
        clock.set(authTime.plusSeconds(30));
        return policy.authorize(AuthorizeRequest.newBuilder()
                .setOrganizationId(ORG).setSubjectId(TENANT).setDoorId(door).setAction(LockAction.LOCK_ACTION_UNLOCK)
                .setContext(AuthorizationContext.newBuilder().setAuthentication(Authentication.newBuilder()
                        .setAcr(acr).setAuthTime(Timestamp.newBuilder().setSeconds(authTime.getEpochSecond()))))
                .build()).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aSensitiveDoorAsksForAStepUpWhenTheSignInIsWeakerOrOlder() {
        Instant signIn = LocalDateTime.parse("2026-11-23T09:00").atZone(ZONE).toInstant();

        AuthorizeResponse strong = authorizeSignedIn(SERVER_ROOM, "aal2", signIn);
        assertEquals(Decision.DECISION_PERMIT, strong.getDecision());
        assertEquals(0, strong.getObligationsCount());

        AuthorizeResponse weak = authorizeSignedIn(SERVER_ROOM, "aal1", signIn);
        assertEquals(Decision.DECISION_PERMIT, weak.getDecision());
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED, Reason.REASON_STEP_UP_REQUIRED), weak.getReasonsList());
        assertEquals(1, weak.getObligationsCount());
        StepUp stepUp = weak.getObligations(0).getStepUp();
        assertEquals(List.of("aal2"), stepUp.getAcrValuesList());
        assertEquals(900, stepUp.getMaxAgeSeconds());

        clock.set(signIn.plus(Duration.ofMinutes(16)));
        AuthorizeResponse old = policy.authorize(AuthorizeRequest.newBuilder()
                .setOrganizationId(ORG).setSubjectId(TENANT).setDoorId(SERVER_ROOM).setAction(LockAction.LOCK_ACTION_UNLOCK)
                .setContext(AuthorizationContext.newBuilder().setAuthentication(Authentication.newBuilder()
                        .setAcr("aal2").setAuthTime(Timestamp.newBuilder().setSeconds(signIn.getEpochSecond()))))
                .build()).await().atMost(Duration.ofSeconds(10));
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED, Reason.REASON_STEP_UP_REQUIRED), old.getReasonsList());

        // A door without requirements does not care how the tenant signed in.
        assertEquals(0, authorizeSignedIn(FRONT, "aal1", signIn).getObligationsCount());
    }
}
