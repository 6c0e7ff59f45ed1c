package dev.portcullis.registry.lookup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.lock.protocol.PublicKeys;
import dev.portcullis.proto.registry.v1.DeviceRegistryGrpc;
import dev.portcullis.proto.registry.v1.GetLockRequest;
import dev.portcullis.proto.registry.v1.Lock;
import dev.portcullis.proto.registry.v1.LockStatus;
import dev.portcullis.proto.registry.v1.ResolveDoorRequest;
import dev.portcullis.proto.registry.v1.ResolveDoorResponse;
import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.TestKeys;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The DeviceRegistry look-ups command-service relies on, over real gRPC on the service's own port:
 * ResolveDoor answers a door of the caller's organization with its enrolled lock and keys, NOT_FOUND
 * for unknown doors and other organizations' doors, FAILED_PRECONDITION when no enrolled lock is on
 * the door (command-service maps these to UNKNOWN_DOOR and NO_ENROLLED_LOCK); GetLock answers a lock
 * in whatever status it is.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class DeviceRegistryGrpcTest {

    @GrpcClient("registry")
    DeviceRegistryGrpc.DeviceRegistryBlockingStub registry;

    @Inject
    RegistryFixtures fixtures;

    record EnrolledLock(RegistryFixtures.PendingLock lock, TestKeys.LockPublicKeys keys) {
    }

    private EnrolledLock enrolled(UUID organizationId) {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock(organizationId);
        TestKeys.LockPublicKeys keys = TestKeys.LockPublicKeys.generate();
        assertEquals(200, Enrollments.enroll(pending.lockId(), pending.secret(), keys).statusCode());
        return new EnrolledLock(pending, keys);
    }

    private ResolveDoorResponse resolve(Object organizationId, Object doorId) {
        return registry.resolveDoor(ResolveDoorRequest.newBuilder()
                .setOrganizationId(organizationId.toString()).setDoorId(doorId.toString()).build());
    }

    private Lock getLock(Object lockId) {
        return registry.getLock(GetLockRequest.newBuilder().setLockId(lockId.toString()).build());
    }

    @Test
    void resolveDoorAnswersTheDoorWithItsEnrolledLockAndKeys() {
        EnrolledLock enrolled = enrolled(UUID.randomUUID());
        RegistryFixtures.PendingLock fixture = enrolled.lock();

        ResolveDoorResponse resolved = resolve(fixture.organizationId(), fixture.doorId());

        assertEquals(fixture.doorId().toString(), resolved.getDoor().getId());
        assertEquals(fixture.organizationId().toString(), resolved.getDoor().getOrganizationId());
        assertEquals(fixture.propertyId().toString(), resolved.getDoor().getPropertyId());
        assertEquals(fixture.doorName(), resolved.getDoor().getName());
        assertEquals("Europe/Berlin", resolved.getDoor().getTimeZone());
        assertEnrolledLock(enrolled, resolved.getLock());
    }

    @Test
    void getLockAnswersTheLockWithItsKeys() {
        EnrolledLock enrolled = enrolled(UUID.randomUUID());
        assertEnrolledLock(enrolled, getLock(enrolled.lock().lockId()));
    }

    @Test
    void getLockAnswersAPendingLockWithoutKeys() {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        Lock lock = getLock(pending.lockId());
        assertEquals(LockStatus.LOCK_STATUS_PENDING_ENROLLMENT, lock.getStatus());
        assertEquals(pending.doorId().toString(), lock.getDoorId());
        assertEquals(0, lock.getKeyEpoch());
        assertFalse(lock.hasSigningKey());
        assertFalse(lock.hasAgreementKey());
    }

    @Test
    void unknownDoorsAndLocksAreNotFound() {
        UUID org = UUID.randomUUID();
        fixtures.pendingLock(org);
        assertStatus(Status.Code.NOT_FOUND, () -> resolve(org, UUID.randomUUID()));
        assertStatus(Status.Code.NOT_FOUND, () -> getLock(UUID.randomUUID()));
    }

    @Test
    void anotherOrganizationsDoorIsNotFound() {
        UUID mine = UUID.randomUUID();
        EnrolledLock theirs = enrolled(UUID.randomUUID());
        fixtures.pendingLock(mine);
        UUID theirDoor = theirs.lock().doorId();

        assertStatus(Status.Code.NOT_FOUND, () -> resolve(mine, theirDoor));
        assertStatus(Status.Code.NOT_FOUND, () -> resolve(RegistryTestProfile.ORG, theirDoor));
        // The demo organization's pending door, asked for by another organization: NOT_FOUND, not
        // FAILED_PRECONDITION (which would confirm that the door exists).
        assertStatus(Status.Code.NOT_FOUND, () -> resolve(mine, RegistryTestProfile.ROOFTOP_DOOR));
        // Its own organization does get it.
        assertEquals(theirDoor.toString(), resolve(theirs.lock().organizationId(), theirDoor).getDoor().getId());
    }

    @Test
    void aDoorWithoutAnEnrolledLockIsAFailedPrecondition() {
        UUID org = UUID.randomUUID();
        RegistryFixtures.PendingLock pending = fixtures.pendingLock(org);
        UUID lockless = fixtures.doorWithoutLock(org);
        EnrolledLock retired = enrolled(org);
        fixtures.retire(retired.lock().lockId());

        assertStatus(Status.Code.FAILED_PRECONDITION, () -> resolve(org, pending.doorId()));
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> resolve(org, lockless));
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> resolve(org, retired.lock().doorId()));
        assertEquals(LockStatus.LOCK_STATUS_RETIRED, getLock(retired.lock().lockId()).getStatus());
    }

    @Test
    void theDemoPortfolioIsSeededWithLocksAwaitingEnrollment() {
        // The rooftop lock of the demo portfolio is never enrolled by any test.
        assertStatus(Status.Code.FAILED_PRECONDITION, () -> resolve(RegistryTestProfile.ORG, RegistryTestProfile.ROOFTOP_DOOR));
        Lock rooftop = getLock(RegistryTestProfile.ROOFTOP_LOCK);
        assertEquals(RegistryTestProfile.ORG, rooftop.getOrganizationId());
        assertEquals(RegistryTestProfile.ROOFTOP_DOOR, rooftop.getDoorId());
        assertEquals(LockStatus.LOCK_STATUS_PENDING_ENROLLMENT, rooftop.getStatus());
        assertEquals("portcullis-simulated-lock", rooftop.getModel());
        Lock front = getLock(RegistryTestProfile.FRONT_LOCK);
        assertEquals(RegistryTestProfile.FRONT_DOOR, front.getDoorId());
    }

    @Test
    void malformedIdsAreInvalidArguments() {
        EnrolledLock enrolled = enrolled(UUID.randomUUID());
        String org = enrolled.lock().organizationId().toString();
        String door = enrolled.lock().doorId().toString();
        Map<String, String> malformed = Map.of(
                "empty", "",
                "word", "front-door",
                "not hex", "zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
                "braced", "{" + door.substring(1) + "}",
                "short form", "1-2-3-4-5",
                "trailing text", door + "x",
                "injection", door.substring(0, 30) + "' or 1=1");
        for (Map.Entry<String, String> bad : malformed.entrySet()) {
            assertStatus(Status.Code.INVALID_ARGUMENT, () -> resolve(bad.getValue(), door), "organization " + bad.getKey());
            assertStatus(Status.Code.INVALID_ARGUMENT, () -> resolve(org, bad.getValue()), "door " + bad.getKey());
            assertStatus(Status.Code.INVALID_ARGUMENT, () -> getLock(bad.getValue()), "lock " + bad.getKey());
        }
    }

    private static void assertEnrolledLock(EnrolledLock enrolled, Lock lock) {
        RegistryFixtures.PendingLock fixture = enrolled.lock();
        assertEquals(fixture.lockId().toString(), lock.getId());
        assertEquals(fixture.organizationId().toString(), lock.getOrganizationId());
        assertEquals(fixture.doorId().toString(), lock.getDoorId());
        assertEquals(LockStatus.LOCK_STATUS_ENROLLED, lock.getStatus());
        assertEquals(1, lock.getKeyEpoch());
        assertEquals("test-lock-model", lock.getModel());
        assertEquals("Ed25519", lock.getSigningKey().getAlgorithm());
        assertEquals(KeyIds.of(enrolled.keys().signing()), lock.getSigningKey().getKeyId());
        assertArrayEquals(enrolled.keys().signing().getEncoded(), lock.getSigningKey().getSpki().toByteArray());
        assertEquals("X25519", lock.getAgreementKey().getAlgorithm());
        assertEquals(KeyIds.of(enrolled.keys().agreement()), lock.getAgreementKey().getKeyId());
        assertArrayEquals(enrolled.keys().agreement().getEncoded(), lock.getAgreementKey().getSpki().toByteArray());
        // What command-service's RegistryClient.identity(lock) does with it: the keys decode as the protocol's types.
        assertEquals(enrolled.keys().signing(), PublicKeys.ed25519(lock.getSigningKey().getSpki().toByteArray()));
        assertEquals(enrolled.keys().agreement(), PublicKeys.x25519(lock.getAgreementKey().getSpki().toByteArray()));
    }

    private static void assertStatus(Status.Code expected, Executable call) {
        assertStatus(expected, call, "");
    }

    private static void assertStatus(Status.Code expected, Executable call, String what) {
        StatusRuntimeException failure = assertThrows(StatusRuntimeException.class, call, what);
        assertEquals(expected, failure.getStatus().getCode(), what + ": " + failure.getStatus());
        String description = String.valueOf(failure.getStatus().getDescription());
        assertFalse(description.contains("Exception") || description.contains(".java"), description);
    }
}
