package dev.portcullis.registry.ownership;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.registry.v1.DeviceRegistryGrpc;
import dev.portcullis.proto.registry.v1.GetLockRequest;
import dev.portcullis.proto.registry.v1.Lock;
import dev.portcullis.proto.registry.v1.LockStatus;
import dev.portcullis.proto.registry.v1.ResolveDoorRequest;
import dev.portcullis.proto.registry.v1.ResolveDoorResponse;
import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.RegistryTopic;
import dev.portcullis.registry.TestKeys;
import dev.portcullis.registry.admin.Operators;
import dev.portcullis.lock.protocol.KeyIds;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * Factory reset, replacement and ownership transfer over real HTTP, gRPC, PostgreSQL and Kafka: what each flow
 * changes (and what it must not), that revoked keys are dead everywhere (look-ups, enrollment), the events, and
 * that another organization can do nothing to a lock that is not its own.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class LockLifecycleTest {

    @GrpcClient("registry")
    DeviceRegistryGrpc.DeviceRegistryBlockingStub registry;

    @Inject
    RegistryFixtures fixtures;

    /** A lock of the operator's organization, enrolled over HTTP with its keys. */
    record Enrolled(UUID lockId, UUID doorId, UUID modelId, TestKeys.LockPublicKeys keys) {
    }

    private Enrolled enrolledLock(Operators op) {
        UUID door = door(op);
        UUID model = op.lockModel("Acme", "Deadbolt " + UUID.randomUUID().toString().substring(0, 6), 100, 200);
        UUID lock = op.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "SN-" + UUID.randomUUID()));
        TestKeys.LockPublicKeys keys = TestKeys.LockPublicKeys.generate();
        assertEquals(200, Enrollments.enroll(lock, fixtures.issueSecret(lock), keys).statusCode());
        return new Enrolled(lock, door, model, keys);
    }

    private UUID door(Operators op) {
        UUID property = op.property("Property " + UUID.randomUUID());
        return op.create("/doors", Map.of("propertyId", property, "name", "Entry"));
    }

    private ResolveDoorResponse resolve(UUID org, UUID door) {
        return registry.resolveDoor(ResolveDoorRequest.newBuilder().setOrganizationId(org.toString()).setDoorId(door.toString()).build());
    }

    private Lock getLock(UUID lockId) {
        return registry.getLock(GetLockRequest.newBuilder().setLockId(lockId.toString()).build());
    }

    private static Status.Code resolveFails(Runnable call) {
        return assertThrows(StatusRuntimeException.class, call::run).getStatus().getCode();
    }

    private static List<String> keyIds(TestKeys.LockPublicKeys keys) {
        return Stream.of(KeyIds.of(keys.signing()), KeyIds.of(keys.agreement())).sorted().toList();
    }

    private EventEnvelope lastEvent(UUID lockId, String type) {
        List<RegistryFixtures.OutboxRow> rows = fixtures.outbox(lockId).stream().filter(row -> row.eventType().equals(type)).toList();
        assertFalse(rows.isEmpty(), () -> "no " + type + " event for lock " + lockId);
        try {
            return EventEnvelope.parseFrom(rows.get(rows.size() - 1).payload());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static String in(int days) {
        return OffsetDateTime.now(ZoneOffset.UTC).plusDays(days).toString();
    }

    @Test
    void factoryResetRevokesTheKeysAndTheLockMustEnrollAgainWithNewOnes() {
        Operators op = Operators.ofNewOrganization();
        Enrolled lock = enrolledLock(op);
        assertEquals(lock.lockId().toString(), resolve(op.org(), lock.doorId()).getLock().getId());

        Response reset = op.call().post("/locks/{id}/factory-reset", lock.lockId()).andReturn();
        assertEquals(200, reset.statusCode(), reset.asString());
        assertEquals("PENDING_ENROLLMENT", reset.path("status"));
        String secret = reset.path("enrollmentSecret");
        assertTrue(secret.length() >= 32);

        Lock looked = getLock(lock.lockId());
        assertEquals(LockStatus.LOCK_STATUS_PENDING_ENROLLMENT, looked.getStatus());
        assertFalse(looked.hasSigningKey(), "the look-up must not hand out revoked keys");
        assertFalse(looked.hasAgreementKey());
        assertEquals(Status.Code.FAILED_PRECONDITION, resolveFails(() -> resolve(op.org(), lock.doorId())));
        assertEquals(keyIds(lock.keys()), fixtures.revokedKeyIds(lock.lockId()));

        // The old keys never enroll again, not with the fresh secret, not on another lock; the secret survives the refusal.
        assertEquals(401, Enrollments.enroll(lock.lockId(), secret, lock.keys()).statusCode());
        UUID other = fixtures.pendingLock(op.org()).lockId();
        assertEquals(401, Enrollments.enroll(other, fixtures.issueSecret(other), lock.keys()).statusCode());
        TestKeys.LockPublicKeys fresh = TestKeys.LockPublicKeys.generate();
        Response again = Enrollments.enroll(lock.lockId(), secret, fresh);
        assertEquals(200, again.statusCode(), again.asString());
        assertEquals(2, (int) again.path("keyEpoch"));
        assertEquals(2, resolve(op.org(), lock.doorId()).getLock().getKeyEpoch());

        EventEnvelope event = lastEvent(lock.lockId(), "lock_factory_reset");
        assertEquals(op.org().toString(), event.getOrganizationId());
        assertEquals(1, event.getLockFactoryReset().getPreviousKeyEpoch());
        assertEquals(keyIds(lock.keys()), event.getLockFactoryReset().getRevokedKeyIdsList().stream().sorted().toList());
    }

    @Test
    void replacementPutsTheNewLockOnTheDoorAndRetiresTheOldOneWithItsKeys() {
        Operators op = Operators.ofNewOrganization();
        Enrolled old = enrolledLock(op);
        Response replaced = op.call().body(Map.of("serialNumber", "SN-NEW-" + UUID.randomUUID())).post("/locks/{id}/replacement", old.lockId())
                .andReturn();
        assertEquals(201, replaced.statusCode(), replaced.asString());
        UUID successor = UUID.fromString(replaced.path("lockId"));
        assertEquals(old.doorId().toString(), replaced.path("doorId"));
        assertNotEquals(old.lockId(), successor);

        op.call().get("/locks/{id}", old.lockId()).then().statusCode(200).body("status", equalTo("RETIRED")).body("doorId", nullValue())
                .body("retirement.reason", equalTo("REPLACED")).body("retirement.successorLockId", equalTo(successor.toString()))
                .body("retirement.lastDoorId", equalTo(old.doorId().toString()));
        op.call().get("/locks/{id}", successor).then().statusCode(200).body("status", equalTo("PENDING_ENROLLMENT"))
                .body("model.id", equalTo(old.modelId().toString()));
        op.call().get("/doors/{id}", old.doorId()).then().statusCode(200).body("lockId", equalTo(successor.toString()));

        Lock retired = getLock(old.lockId());
        assertEquals(LockStatus.LOCK_STATUS_RETIRED, retired.getStatus());
        assertFalse(retired.hasSigningKey(), "a retired lock's keys are not handed out (the gateway refuses it)");
        assertEquals(Status.Code.FAILED_PRECONDITION, resolveFails(() -> resolve(op.org(), old.doorId())));

        String secret = replaced.path("enrollmentSecret");
        assertEquals(401, Enrollments.enroll(successor, secret, old.keys()).statusCode(), "the old lock's keys are revoked");
        TestKeys.LockPublicKeys fresh = TestKeys.LockPublicKeys.generate();
        assertEquals(200, Enrollments.enroll(successor, secret, fresh).statusCode());
        ResolveDoorResponse resolved = resolve(op.org(), old.doorId());
        assertEquals(successor.toString(), resolved.getLock().getId());
        assertEquals(KeyIds.of(fresh.signing()), resolved.getLock().getSigningKey().getKeyId());

        EventEnvelope event = lastEvent(old.lockId(), "lock_retired");
        assertEquals("REPLACED", event.getLockRetired().getReason());
        assertEquals(successor.toString(), event.getLockRetired().getSuccessorLockId());
        assertEquals(keyIds(old.keys()), event.getLockRetired().getRevokedKeyIdsList().stream().sorted().toList());

        // A retired lock cannot be replaced, reset or transferred again; the successor's serial number is taken.
        op.call().body(Map.of("serialNumber", "SN-X")).post("/locks/{id}/replacement", old.lockId()).then().statusCode(409);
        op.call().post("/locks/{id}/factory-reset", old.lockId()).then().statusCode(409);
        op.call().body(Map.of("toOrganizationId", UUID.randomUUID(), "expiresAt", in(1))).post("/locks/{id}/transfers", old.lockId())
                .then().statusCode(409);
        String successorSerial = op.call().get("/locks/{id}", successor).then().extract().path("serialNumber");
        op.call().body(Map.of("serialNumber", successorSerial)).post("/locks/{id}/replacement", successor).then().statusCode(409);
        op.call().body(Map.of("serialNumber", "SN-Y", "lockModelId", UUID.randomUUID())).post("/locks/{id}/replacement", successor)
                .then().statusCode(422);
        op.call().body(Map.of()).post("/locks/{id}/replacement", successor).then().statusCode(400);
    }

    @Test
    void concurrentReplacementsAndAcceptancesLetExactlyOneThrough() throws Exception {
        Operators op = Operators.ofNewOrganization();
        Enrolled old = enrolledLock(op);
        List<Integer> replaced = parallel(4, i -> op.call().body(Map.of("serialNumber", "SN-RACE-" + i + "-" + UUID.randomUUID()))
                .post("/locks/{id}/replacement", old.lockId()).statusCode());
        assertEquals(1, replaced.stream().filter(code -> code == 201).count(), replaced.toString());
        assertEquals(3, replaced.stream().filter(code -> code == 409).count(), replaced.toString());

        Operators giver = Operators.ofNewOrganization();
        Operators receiver = Operators.ofNewOrganization();
        Enrolled lock = enrolledLock(giver);
        UUID transfer = transfer(giver, lock, receiver);
        List<UUID> doors = List.of(door(receiver), door(receiver), door(receiver), door(receiver));
        List<Integer> accepted = parallel(4, i -> receiver.call().body(Map.of("doorId", doors.get(i)))
                .post("/lock-transfers/{id}/acceptance", transfer).statusCode());
        assertEquals(1, accepted.stream().filter(code -> code == 200).count(), accepted.toString());
        assertEquals(3, accepted.stream().filter(code -> code == 409).count(), accepted.toString());
        assertEquals(1, fixtures.outbox(lock.lockId()).stream().filter(row -> row.eventType().equals("lock_retired")).count());
    }

    private static List<Integer> parallel(int n, java.util.function.IntFunction<Integer> call) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> futures = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.apply(index);
                }));
            }
            start.countDown();
            List<Integer> codes = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> future : futures) {
                codes.add(future.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            return codes;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ownershipTransferMovesTheLockOnlyWhenAcceptedAndKillsTheGiversKnowledge() {
        Operators giver = Operators.ofNewOrganization();
        Operators receiver = Operators.ofNewOrganization();
        Operators stranger = Operators.ofNewOrganization();
        Enrolled lock = enrolledLock(giver);
        UUID receiverDoor = door(receiver);
        String serial = giver.call().get("/locks/{id}", lock.lockId()).then().extract().path("serialNumber");

        Response initiated = giver.call().body(Map.of("toOrganizationId", receiver.org(), "expiresAt", in(7)))
                .post("/locks/{id}/transfers", lock.lockId()).andReturn();
        assertEquals(201, initiated.statusCode(), initiated.asString());
        assertEquals("PENDING", initiated.path("status"));
        UUID transfer = UUID.fromString(initiated.path("id"));

        // Until accepted nothing changes.
        assertEquals(lock.lockId().toString(), resolve(giver.org(), lock.doorId()).getLock().getId());
        giver.call().get("/locks/{id}", lock.lockId()).then().statusCode(200).body("status", equalTo("ENROLLED"));
        receiver.call().get("/lock-transfers/{id}", transfer).then().statusCode(200).body("lockId", equalTo(lock.lockId().toString()));
        receiver.call().get("/locks/{id}", lock.lockId()).then().statusCode(404);
        // One pending transfer at a time; only the receiver accepts; someone else's door is not the receiver's.
        giver.call().body(Map.of("toOrganizationId", stranger.org(), "expiresAt", in(1))).post("/locks/{id}/transfers", lock.lockId())
                .then().statusCode(409);
        giver.call().body(Map.of("doorId", lock.doorId())).post("/lock-transfers/{id}/acceptance", transfer).then().statusCode(404);
        receiver.call().body(Map.of("doorId", lock.doorId())).post("/lock-transfers/{id}/acceptance", transfer).then().statusCode(422);

        Response accepted = receiver.call().body(Map.of("doorId", receiverDoor)).post("/lock-transfers/{id}/acceptance", transfer).andReturn();
        assertEquals(200, accepted.statusCode(), accepted.asString());
        UUID received = UUID.fromString(accepted.path("lockId"));
        assertNotEquals(lock.lockId(), received, "the receiver's lock is a new record: nothing the giver knew addresses it");
        assertEquals("PENDING_ENROLLMENT", accepted.path("status"));

        // The giver can no longer command it nor see the receiver's lock.
        assertEquals(Status.Code.FAILED_PRECONDITION, resolveFails(() -> resolve(giver.org(), lock.doorId())));
        Lock old = getLock(lock.lockId());
        assertEquals(LockStatus.LOCK_STATUS_RETIRED, old.getStatus());
        assertFalse(old.hasSigningKey());
        giver.call().get("/locks/{id}", lock.lockId()).then().statusCode(200).body("status", equalTo("RETIRED"))
                .body("retirement.reason", equalTo("TRANSFERRED")).body("retirement.successorLockId", nullValue());
        giver.call().get("/locks/{id}", received).then().statusCode(404);
        receiver.call().get("/locks/{id}", received).then().statusCode(200).body("serialNumber", equalTo(serial))
                .body("doorId", equalTo(receiverDoor.toString()));
        assertEquals(giver.org().toString(), getLock(lock.lockId()).getOrganizationId());
        assertEquals(receiver.org().toString(), getLock(received).getOrganizationId());

        // It must enroll with new keys, with the secret issued to the receiver.
        String secret = accepted.path("enrollmentSecret");
        assertEquals(401, Enrollments.enroll(received, secret, lock.keys()).statusCode());
        assertEquals(200, Enrollments.enroll(received, secret, TestKeys.LockPublicKeys.generate()).statusCode());
        assertEquals(received.toString(), resolve(receiver.org(), receiverDoor).getLock().getId());

        receiver.call().get("/lock-transfers/{id}", transfer).then().statusCode(200).body("status", equalTo("ACCEPTED"));
        receiver.call().body(Map.of("doorId", door(receiver))).post("/lock-transfers/{id}/acceptance", transfer).then().statusCode(409);
        giver.call().post("/lock-transfers/{id}/cancellation", transfer).then().statusCode(409);

        EventEnvelope retired = lastEvent(lock.lockId(), "lock_retired");
        assertEquals(giver.org().toString(), retired.getOrganizationId());
        assertEquals("TRANSFERRED", retired.getLockRetired().getReason());
        assertEquals(keyIds(lock.keys()), retired.getLockRetired().getRevokedKeyIdsList().stream().sorted().toList());
        EventEnvelope changed = lastEvent(received, "lock_ownership_changed");
        assertEquals(receiver.org().toString(), changed.getOrganizationId());
        assertEquals(giver.org().toString(), changed.getLockOwnershipChanged().getFromOrganizationId());
        assertEquals(receiverDoor.toString(), changed.getLockOwnershipChanged().getDoorId());
        assertEquals(transfer.toString(), changed.getLockOwnershipChanged().getTransferId());
        assertEquals("initiated", lastEvent(lock.lockId(), "lock_transfer_initiated").getLockTransferChanged().getState());

        // The events reach Kafka through the outbox.
        List<ConsumerRecord<String, byte[]>> records = RegistryTopic.recordsKeyed(received.toString(), Duration.ofSeconds(20), Duration.ofSeconds(1));
        assertTrue(records.stream().anyMatch(record -> parse(record.value()).hasLockOwnershipChanged()), "LockOwnershipChanged on Kafka");
    }

    @Test
    void transfersThatAreCancelledDeclinedExpiredOrMalformedChangeNothing() {
        Operators giver = Operators.ofNewOrganization();
        Operators receiver = Operators.ofNewOrganization();
        Enrolled lock = enrolledLock(giver);
        UUID receiverDoor = door(receiver);

        giver.call().body(Map.of("toOrganizationId", giver.org(), "expiresAt", in(1))).post("/locks/{id}/transfers", lock.lockId())
                .then().statusCode(400);
        giver.call().body(Map.of("toOrganizationId", receiver.org(), "expiresAt", in(-1))).post("/locks/{id}/transfers", lock.lockId())
                .then().statusCode(400);
        giver.call().body(Map.of("toOrganizationId", receiver.org(), "expiresAt", in(365))).post("/locks/{id}/transfers", lock.lockId())
                .then().statusCode(400);
        giver.call().body(Map.of("toOrganizationId", receiver.org())).post("/locks/{id}/transfers", lock.lockId()).then().statusCode(400);
        giver.call().body(Map.of("toOrganizationId", receiver.org(), "expiresAt", in(1), "extra", 1)).post("/locks/{id}/transfers", lock.lockId())
                .then().statusCode(400);

        UUID cancelled = transfer(giver, lock, receiver);
        giver.call().post("/lock-transfers/{id}/cancellation", cancelled).then().statusCode(200).body("status", equalTo("CANCELLED"));
        receiver.call().body(Map.of("doorId", receiverDoor)).post("/lock-transfers/{id}/acceptance", cancelled).then().statusCode(409);

        UUID declined = transfer(giver, lock, receiver);
        receiver.call().post("/lock-transfers/{id}/cancellation", declined).then().statusCode(200).body("status", equalTo("CANCELLED"));
        assertEquals("declined", lastEvent(lock.lockId(), "lock_transfer_declined").getLockTransferChanged().getState());

        UUID expired = transfer(giver, lock, receiver);
        fixtures.expireTransfer(expired);
        receiver.call().get("/lock-transfers/{id}", expired).then().statusCode(200).body("status", equalTo("EXPIRED"));
        receiver.call().body(Map.of("doorId", receiverDoor)).post("/lock-transfers/{id}/acceptance", expired).then().statusCode(409)
                .body("transferStatus", equalTo("EXPIRED"));
        transfer(giver, lock, receiver); // an expired transfer does not block a new one

        assertEquals(lock.lockId().toString(), resolve(giver.org(), lock.doorId()).getLock().getId());
        assertTrue(fixtures.revokedKeyIds(lock.lockId()).isEmpty());
        receiver.call().get("/doors/{id}", receiverDoor).then().statusCode(200).body("lockId", nullValue());
    }

    private static UUID transfer(Operators giver, Enrolled lock, Operators receiver) {
        return UUID.fromString(giver.call().body(Map.of("toOrganizationId", receiver.org(), "expiresAt", in(1)))
                .post("/locks/{id}/transfers", lock.lockId()).then().statusCode(201).extract().path("id"));
    }

    @Test
    void anotherOrganizationCanDoNothingToALockOrTransferThatIsNotItsOwn() {
        Operators victim = Operators.ofNewOrganization();
        Operators receiver = Operators.ofNewOrganization();
        Operators attacker = Operators.ofNewOrganization();
        Enrolled lock = enrolledLock(victim);
        UUID attackerDoor = door(attacker);
        UUID transfer = transfer(victim, lock, receiver);

        // On its own path with the victim's ids: 404, as if they did not exist.
        attacker.call().post("/locks/{id}/factory-reset", lock.lockId()).then().statusCode(404);
        attacker.call().body(Map.of("serialNumber", "SN-EVIL")).post("/locks/{id}/replacement", lock.lockId()).then().statusCode(404);
        attacker.call().body(Map.of("toOrganizationId", receiver.org(), "expiresAt", in(1))).post("/locks/{id}/transfers", lock.lockId())
                .then().statusCode(404);
        attacker.call().get("/lock-transfers/{id}", transfer).then().statusCode(404);
        attacker.call().body(Map.of("doorId", attackerDoor)).post("/lock-transfers/{id}/acceptance", transfer).then().statusCode(404);
        attacker.call().post("/lock-transfers/{id}/cancellation", transfer).then().statusCode(404);
        // On the victim's path: the organization does not exist for the attacker.
        io.restassured.RestAssured.given().auth().oauth2(attacker.token()).contentType("application/json")
                .post("/admin/v1/organizations/{org}/locks/{id}/factory-reset", victim.org(), lock.lockId()).then().statusCode(404);
        io.restassured.RestAssured.given().auth().oauth2(attacker.token()).contentType("application/json").body(Map.of("doorId", attackerDoor))
                .post("/admin/v1/organizations/{org}/lock-transfers/{id}/acceptance", receiver.org(), transfer).then().statusCode(404);
        // Not an operator: 403; no token: 401.
        victim.withRoles("tenant").call().post("/locks/{id}/factory-reset", lock.lockId()).then().statusCode(403);
        io.restassured.RestAssured.given().contentType("application/json")
                .post("/admin/v1/organizations/{org}/locks/{id}/factory-reset", victim.org(), lock.lockId())
                .then().statusCode(401);

        assertEquals(lock.lockId().toString(), resolve(victim.org(), lock.doorId()).getLock().getId());
        assertTrue(fixtures.revokedKeyIds(lock.lockId()).isEmpty());
        victim.call().get("/lock-transfers/{id}", transfer).then().statusCode(200).body("status", equalTo("PENDING"));
        attacker.call().get("/doors/{id}", attackerDoor).then().statusCode(200).body("lockId", nullValue());
    }

    private static EventEnvelope parse(byte[] value) {
        try {
            return EventEnvelope.parseFrom(value);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
