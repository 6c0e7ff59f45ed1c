package dev.portcullis.registry.ownership;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.lock.protocol.GatewayChallenge;
import dev.portcullis.lock.protocol.InMemoryLockKeys;
import dev.portcullis.lock.protocol.RecoveryChallenge;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.registry.v1.DeviceRegistryGrpc;
import dev.portcullis.proto.registry.v1.GetLockRequest;
import dev.portcullis.proto.registry.v1.LockStatus;
import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.TestKeys;
import dev.portcullis.registry.admin.Operators;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Orphan recovery over real HTTP and PostgreSQL: only the lock's own answer to the claim's challenge (made with its
 * enrolled key, in the recovery domain) moves it; wrong answers are counted and burn the claim; claims expire; the
 * owner's audit trail shows every claim; another organization cannot see or answer a claim.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class OrphanRecoveryTest {

    @GrpcClient("registry")
    DeviceRegistryGrpc.DeviceRegistryBlockingStub registry;

    @Inject
    RegistryFixtures fixtures;

    /** A lock enrolled with keys whose private halves the test holds (as the lock would). */
    record Device(UUID lockId, UUID doorId, InMemoryLockKeys keys) {
    }

    private Device enrolledDevice(Operators owner) {
        UUID property = owner.property("Property " + UUID.randomUUID());
        UUID door = owner.create("/doors", Map.of("propertyId", property, "name", "Entry"));
        UUID model = owner.lockModel("Acme", "Orphan " + UUID.randomUUID().toString().substring(0, 6), 10, 20);
        UUID lock = owner.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "SN-" + UUID.randomUUID()));
        InMemoryLockKeys keys = InMemoryLockKeys.generate();
        TestKeys.LockPublicKeys publicKeys = new TestKeys.LockPublicKeys(keys.signingPublicKey(), keys.agreementPublicKey());
        assertEquals(200, Enrollments.enroll(lock, fixtures.issueSecret(lock), publicKeys).statusCode());
        return new Device(lock, door, keys);
    }

    private UUID door(Operators op) {
        return op.create("/doors", Map.of("propertyId", op.property("Property " + UUID.randomUUID()), "name", "Entry"));
    }

    private static Response claim(Operators claimant, UUID lockId, UUID doorId) {
        return claimant.call().body(Map.of("lockId", lockId, "doorId", doorId)).post("/orphan-claims").andReturn();
    }

    private static Response prove(Operators claimant, Object claimId, byte[] signature) {
        return claimant.call().body(Map.of("signature", Base64.getEncoder().encodeToString(signature))).post("/orphan-claims/{id}/proof", claimId)
                .andReturn();
    }

    private List<String> eventStates(UUID lockId) {
        return fixtures.outbox(lockId).stream().map(row -> {
            try {
                return EventEnvelope.parseFrom(row.payload());
            } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                throw new AssertionError(e);
            }
        }).filter(EventEnvelope::hasLockTransferChanged).map(event -> event.getLockTransferChanged().getState()).toList();
    }

    @Test
    void theLocksAnswerToTheChallengeMovesItToTheClaimant() {
        Operators owner = Operators.ofNewOrganization();
        Operators claimant = Operators.ofNewOrganization();
        Device device = enrolledDevice(owner);
        UUID door = door(claimant);

        Response opened = claim(claimant, device.lockId(), door);
        assertEquals(201, opened.statusCode(), opened.asString());
        UUID claim = UUID.fromString(opened.path("id"));
        byte[] challenge = Base64.getDecoder().decode((String) opened.path("challenge"));
        assertEquals(32, challenge.length);
        assertEquals(List.of("claim_opened"), eventStates(device.lockId()));
        EventEnvelope audit = parse(fixtures.outbox(device.lockId()).get(fixtures.outbox(device.lockId()).size() - 1).payload());
        assertEquals(owner.org().toString(), audit.getOrganizationId(), "the owner's audit trail shows the claim");
        assertEquals(claimant.org().toString(), audit.getLockTransferChanged().getToOrganizationId());

        // Not yet proven: nothing changed.
        assertEquals(LockStatus.LOCK_STATUS_ENROLLED, registry.getLock(GetLockRequest.newBuilder().setLockId(device.lockId().toString()).build())
                .getStatus());
        // A gateway-challenge answer over the same bytes (what anyone who can make the lock connect could get) is no proof.
        Response gateway = prove(claimant, claim, GatewayChallenge.sign(device.keys(), device.lockId().toString(), challenge));
        assertEquals(422, gateway.statusCode(), gateway.asString());
        assertEquals(4, (int) gateway.path("attemptsLeft"));

        Response recovered = prove(claimant, claim, RecoveryChallenge.sign(device.keys(), device.lockId().toString(), challenge));
        assertEquals(200, recovered.statusCode(), recovered.asString());
        UUID newLock = UUID.fromString(recovered.path("lockId"));
        assertEquals(door.toString(), recovered.path("doorId"));
        assertEquals(LockStatus.LOCK_STATUS_RETIRED, registry.getLock(GetLockRequest.newBuilder().setLockId(device.lockId().toString()).build())
                .getStatus());
        owner.call().get("/locks/{id}", device.lockId()).then().statusCode(200).body("retirement.reason", equalTo("RECOVERED"));
        claimant.call().get("/locks/{id}", newLock).then().statusCode(200).body("status", equalTo("PENDING_ENROLLMENT"));
        claimant.call().get("/orphan-claims/{id}", claim).then().statusCode(200).body("status", equalTo("RECOVERED"))
                .body("newLockId", equalTo(newLock.toString()));
        EventEnvelope changed = parse(fixtures.outbox(newLock).stream().filter(row -> row.eventType().equals("lock_ownership_changed"))
                .findFirst().orElseThrow().payload());
        assertEquals("orphan_recovery", changed.getLockOwnershipChanged().getVia());
        assertEquals(owner.org().toString(), changed.getLockOwnershipChanged().getFromOrganizationId());

        // The old keys are dead; the lock enrolls anew with the claimant's secret.
        String secret = recovered.path("enrollmentSecret");
        TestKeys.LockPublicKeys oldKeys = new TestKeys.LockPublicKeys(device.keys().signingPublicKey(), device.keys().agreementPublicKey());
        assertEquals(401, Enrollments.enroll(newLock, secret, oldKeys).statusCode());
        assertEquals(200, Enrollments.enroll(newLock, secret, TestKeys.LockPublicKeys.generate()).statusCode());
        // The claim is spent.
        assertEquals(409, prove(claimant, claim, RecoveryChallenge.sign(device.keys(), device.lockId().toString(), challenge)).statusCode());
    }

    @Test
    void wrongAnswersBurnTheClaimAndExpiredClaimsCannotBeAnswered() {
        Operators owner = Operators.ofNewOrganization();
        Operators claimant = Operators.ofNewOrganization();
        Device device = enrolledDevice(owner);
        UUID door = door(claimant);
        UUID claim = UUID.fromString(claim(claimant, device.lockId(), door).then().statusCode(201).extract().path("id"));
        byte[] challenge = Base64.getDecoder().decode((String) claimant.call().get("/orphan-claims/{id}", claim).path("challenge"));

        // Another device's answer, an answer to another challenge, garbage: each counted.
        InMemoryLockKeys impostor = InMemoryLockKeys.generate();
        byte[] otherChallenge = new byte[32];
        List<byte[]> wrong = List.of(RecoveryChallenge.sign(impostor, device.lockId().toString(), challenge),
                RecoveryChallenge.sign(device.keys(), device.lockId().toString(), otherChallenge), new byte[64], new byte[3],
                RecoveryChallenge.sign(device.keys(), UUID.randomUUID().toString(), challenge));
        for (int i = 0; i < wrong.size(); i++) {
            Response refused = prove(claimant, claim, wrong.get(i));
            assertEquals(422, refused.statusCode(), refused.asString());
            assertEquals(4 - i, (int) refused.path("attemptsLeft"));
        }
        // Burned: even the right answer is refused now.
        Response burned = prove(claimant, claim, RecoveryChallenge.sign(device.keys(), device.lockId().toString(), challenge));
        assertEquals(409, burned.statusCode(), burned.asString());
        assertEquals("BURNED", burned.path("claimStatus"));
        assertEquals(List.of("claim_opened", "claim_burned"), eventStates(device.lockId()));
        assertTrue(fixtures.revokedKeyIds(device.lockId()).isEmpty());

        // A new claim gets a new challenge; once expired it cannot be answered.
        Response second = claim(claimant, device.lockId(), door);
        assertEquals(201, second.statusCode());
        assertEquals(409, claim(claimant, device.lockId(), door).statusCode(), "one open claim per lock and organization");
        fixtures.expireOrphanClaim(UUID.fromString(second.path("id")));
        byte[] secondChallenge = Base64.getDecoder().decode((String) second.path("challenge"));
        Response late = prove(claimant, second.path("id"), RecoveryChallenge.sign(device.keys(), device.lockId().toString(), secondChallenge));
        assertEquals(409, late.statusCode());
        assertEquals("EXPIRED", late.path("claimStatus"));
        assertEquals(201, claim(claimant, device.lockId(), door).statusCode(), "an expired claim does not block a new one");
        owner.call().get("/locks/{id}", device.lockId()).then().statusCode(200).body("status", equalTo("ENROLLED"));
    }

    @Test
    void claimsAreRefusedForOwnUnknownAndUnenrolledLocksAndInvisibleToOtherOrganizations() {
        Operators owner = Operators.ofNewOrganization();
        Operators claimant = Operators.ofNewOrganization();
        Operators stranger = Operators.ofNewOrganization();
        Device device = enrolledDevice(owner);
        UUID door = door(claimant);

        assertEquals(422, claim(owner, device.lockId(), door(owner)).statusCode(), "an organization's own lock is reset, not claimed");
        assertEquals(404, claim(claimant, UUID.randomUUID(), door).statusCode());
        assertEquals(422, claim(claimant, device.lockId(), device.doorId()).statusCode(), "the door must be the claimant's");
        UUID pending = fixtures.pendingLock(owner.org()).lockId();
        assertEquals(409, claim(claimant, pending, door).statusCode());
        claimant.call().body(Map.of("lockId", device.lockId())).post("/orphan-claims").then().statusCode(400);

        UUID claim = UUID.fromString(claim(claimant, device.lockId(), door).then().statusCode(201).extract().path("id"));
        byte[] challenge = Base64.getDecoder().decode((String) claimant.call().get("/orphan-claims/{id}", claim).path("challenge"));
        byte[] answer = RecoveryChallenge.sign(device.keys(), device.lockId().toString(), challenge);
        stranger.call().get("/orphan-claims/{id}", claim).then().statusCode(404);
        owner.call().get("/orphan-claims/{id}", claim).then().statusCode(404);
        assertEquals(404, prove(stranger, claim, answer).statusCode(), "someone else's claim cannot be answered");
        io.restassured.RestAssured.given().auth().oauth2(stranger.token()).contentType("application/json")
                .body(Map.of("signature", Base64.getEncoder().encodeToString(answer)))
                .post("/admin/v1/organizations/{org}/orphan-claims/{id}/proof", claimant.org(), claim).then().statusCode(404);
        claimant.call().body(Map.of("signature", "%%%")).post("/orphan-claims/{id}/proof", claim).then().statusCode(400);
        claimant.call().get("/orphan-claims/{id}", claim).then().statusCode(200).body("status", equalTo("OPEN")).body("attemptsLeft", equalTo(5));
        owner.call().get("/locks/{id}", device.lockId()).then().statusCode(200).body("status", equalTo("ENROLLED"));
        assertFalse(fixtures.outbox(device.lockId()).stream().anyMatch(row -> row.eventType().equals("lock_retired")));
    }

    private static EventEnvelope parse(byte[] payload) {
        try {
            return EventEnvelope.parseFrom(payload);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
