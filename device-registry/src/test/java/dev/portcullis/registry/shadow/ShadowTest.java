package dev.portcullis.registry.shadow;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockCredentialsReported;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.events.v1.LockPresenceChanged;
import dev.portcullis.proto.events.v1.UnlockAcknowledged;
import dev.portcullis.proto.gateway.v1.DoorState;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.TestKeys;
import dev.portcullis.registry.admin.Operators;
import dev.portcullis.testkit.KafkaResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device shadow fed by real Kafka records on the lock and unlock topics (as command-service publishes them):
 * reported state, newer-wins, once per event id, only for a lock of the event's organization; the operator view,
 * the health in the lock list, and clearing a tamper alarm (audited), across organizations.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class ShadowTest {

    static KafkaProducer<String, byte[]> producer;

    @Inject
    RegistryFixtures fixtures;

    @BeforeAll
    static void producer() {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
    }

    @AfterAll
    static void close() {
        producer.close();
    }

    record Lock(Operators op, UUID lockId, UUID doorId) {
    }

    private Lock enrolledLock() {
        Operators op = Operators.ofNewOrganization();
        UUID property = op.property("Property " + UUID.randomUUID());
        UUID door = op.create("/doors", Map.of("propertyId", property, "name", "Entry"));
        UUID model = op.lockModel("Acme", "Shadow " + UUID.randomUUID().toString().substring(0, 6), 10, 20);
        UUID lock = op.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "SN-" + UUID.randomUUID()));
        assertEquals(200, Enrollments.enroll(lock, fixtures.issueSecret(lock), TestKeys.LockPublicKeys.generate()).statusCode());
        return new Lock(op, lock, door);
    }

    private static Timestamp at(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    private static void send(String topic, UUID eventId, UUID org, UUID lockId, Instant occurred, Consumer<EventEnvelope.Builder> payload) {
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder().setEventId(eventId.toString()).setOrganizationId(org.toString())
                .setOccurredAt(at(occurred)).setSource("command-service");
        payload.accept(envelope);
        try {
            producer.send(new ProducerRecord<>(topic, lockId.toString(), envelope.build().toByteArray())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void lockEvent(Lock lock, UUID org, Instant occurred, LockEvent event) {
        send("portcullis.lock.v1", UUID.randomUUID(), org, lock.lockId(), occurred, envelope -> envelope.setLockEventReported(
                LockEventReported.newBuilder().setLockId(lock.lockId().toString()).setDoorId(lock.doorId().toString()).setEvent(event)));
    }

    private static LockEvent battery(int percent, Instant at) {
        return LockEvent.newBuilder().setEventId(UUID.randomUUID().toString()).setType(LockEventType.LOCK_EVENT_TYPE_LOW_BATTERY)
                .setBatteryPercent(percent).setOccurredAt(at(at)).build();
    }

    private static void presence(Lock lock, UUID eventId, Instant occurred, boolean online) {
        send("portcullis.lock.v1", eventId, lock.op().org(), lock.lockId(), occurred, envelope -> envelope.setLockPresenceChanged(
                LockPresenceChanged.newBuilder().setLockId(lock.lockId().toString()).setDoorId(lock.doorId().toString()).setOnline(online)));
    }

    /** Sends a battery report as a marker after everything sent before (same key, same partition) and waits until it is applied. */
    private static Response awaitMarker(Lock lock, int percent, Instant at) {
        lockEvent(lock, lock.op().org(), at, battery(percent, at));
        Response[] shadow = new Response[1];
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            shadow[0] = lock.op().call().get("/locks/{id}/shadow", lock.lockId()).andReturn();
            Integer battery = shadow[0].path("reported.batteryPercent");
            return battery != null && battery == percent;
        });
        return shadow[0];
    }

    @Test
    void lockReportsBecomeTheReportedStateNewestWins() {
        Lock lock = enrolledLock();
        lock.op().call().get("/locks/{id}/shadow", lock.lockId()).then().statusCode(200).body("reported.online", nullValue())
                .body("reported.tampered", equalTo(false)).body("reported.firmwareVersion", equalTo(Enrollments.FIRMWARE))
                .body("desired.firmwareVersion", equalTo(Enrollments.FIRMWARE)).body("inSync.firmware", equalTo(true));
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(600);
        byte[] digest = new byte[32];
        digest[0] = 7;

        presence(lock, UUID.randomUUID(), t0, true);
        lockEvent(lock, lock.op().org(), t0.plusSeconds(10), LockEvent.newBuilder().setEventId("e1").setType(LockEventType.LOCK_EVENT_TYPE_TAMPER)
                .setOccurredAt(at(t0.plusSeconds(10))).build());
        lockEvent(lock, lock.op().org(), t0.plusSeconds(30), LockEvent.newBuilder().setEventId("e2").setType(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE)
                .setDoorState(DoorState.DOOR_STATE_CLOSED).setOccurredAt(at(t0.plusSeconds(30))).build());
        // Older than the CLOSED above: must not overwrite it.
        lockEvent(lock, lock.op().org(), t0.plusSeconds(20), LockEvent.newBuilder().setEventId("e3").setType(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE)
                .setDoorState(DoorState.DOOR_STATE_OPEN).setOccurredAt(at(t0.plusSeconds(20))).build());
        send("portcullis.lock.v1", UUID.randomUUID(), lock.op().org(), lock.lockId(), t0.plusSeconds(40), envelope -> envelope
                .setLockCredentialsReported(LockCredentialsReported.newBuilder().setLockId(lock.lockId().toString())
                        .setDoorId(lock.doorId().toString()).setCredentialSetDigest(ByteString.copyFrom(digest))));
        send("portcullis.unlock.v1", UUID.randomUUID(), lock.op().org(), lock.lockId(), t0.plusSeconds(50), envelope -> envelope
                .setUnlockAcknowledged(UnlockAcknowledged.newBuilder().setLockId(lock.lockId().toString())
                        .setDoorId(lock.doorId().toString()).setLockTime(at(t0.plusSeconds(49)))));
        Response shadow = awaitMarker(lock, 42, t0.plusSeconds(60));

        assertEquals(true, shadow.path("reported.online"));
        assertEquals(true, shadow.path("reported.tampered"));
        assertEquals(t0.plusSeconds(10), Instant.parse(shadow.path("reported.tamperedSince")));
        assertEquals("CLOSED", shadow.path("reported.doorState"));
        assertEquals(Base64.getEncoder().encodeToString(digest), shadow.path("reported.credentialSetDigest"));
        assertEquals(t0.plusSeconds(60), Instant.parse(shadow.path("reported.lastSeenAt")));
        // The unlock acknowledgement arrives on another topic (partition order is per topic): wait for it too.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lock.op().call().get("/locks/{id}/shadow", lock.lockId())
                .path("reported.lastUnlockedAt") != null);
        assertEquals(t0.plusSeconds(49), Instant.parse(lock.op().call().get("/locks/{id}/shadow", lock.lockId()).path("reported.lastUnlockedAt")));

        List<Map<String, Object>> locks = lock.op().call().get("/locks").then().statusCode(200).extract().path("");
        Map<String, Object> listed = locks.stream().filter(row -> row.get("id").equals(lock.lockId().toString())).findFirst().orElseThrow();
        assertEquals(Map.of("online", true, "batteryPercent", 42, "tampered", true, "lastSeenAt", shadow.path("reported.lastSeenAt")),
                listed.get("health"));
    }

    @Test
    void anEventIsAppliedOnceAndOnlyToALockOfItsOrganization() {
        Lock lock = enrolledLock();
        Lock other = enrolledLock();
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(600);
        UUID eventId = UUID.randomUUID();
        presence(lock, eventId, t0, true);
        // The same event id again, now saying offline and later: a duplicate, ignored.
        presence(lock, eventId, t0.plusSeconds(5), false);
        // Another organization's event naming this lock: ignored.
        lockEvent(lock, other.op().org(), t0.plusSeconds(6), LockEvent.newBuilder().setEventId("x").setType(LockEventType.LOCK_EVENT_TYPE_TAMPER)
                .setOccurredAt(at(t0.plusSeconds(6))).build());
        Response shadow = awaitMarker(lock, 55, t0.plusSeconds(10));
        assertEquals(true, shadow.path("reported.online"), "a redelivered event id must not be applied again");
        assertEquals(false, shadow.path("reported.tampered"), "an event of another organization must not touch the lock");

        // A new event id saying offline is applied.
        presence(lock, UUID.randomUUID(), t0.plusSeconds(20), false);
        assertEquals(false, awaitMarker(lock, 56, t0.plusSeconds(30)).path("reported.online"));
        other.op().call().get("/locks/{id}/shadow", other.lockId()).then().statusCode(200).body("reported.online", nullValue());
    }

    @Test
    void anOperatorClearsATamperAlarmOnceAndAnotherOrganizationCannot() {
        Lock lock = enrolledLock();
        Operators attacker = Operators.ofNewOrganization();
        lock.op().call().body(Map.of("note", "checked")).post("/locks/{id}/shadow/tamper-clearance", lock.lockId()).then().statusCode(409);
        Instant t0 = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).minusSeconds(60);
        lockEvent(lock, lock.op().org(), t0, LockEvent.newBuilder().setEventId("t").setType(LockEventType.LOCK_EVENT_TYPE_TAMPER)
                .setOccurredAt(at(t0)).build());
        assertEquals(true, awaitMarker(lock, 70, t0.plusSeconds(1)).path("reported.tampered"));

        attacker.call().get("/locks/{id}/shadow", lock.lockId()).then().statusCode(404);
        attacker.call().body(Map.of("note", "x")).post("/locks/{id}/shadow/tamper-clearance", lock.lockId()).then().statusCode(404);
        io.restassured.RestAssured.given().auth().oauth2(attacker.token()).contentType("application/json")
                .get("/admin/v1/organizations/{org}/locks/{id}/shadow", lock.op().org(), lock.lockId()).then().statusCode(404);
        lock.op().call().get("/locks/{id}/shadow", UUID.randomUUID()).then().statusCode(404);
        lock.op().call().get("/locks/{id}/shadow", "not-a-uuid").then().statusCode(404);
        assertEquals(true, lock.op().call().get("/locks/{id}/shadow", lock.lockId()).path("reported.tampered"));
        assertEquals(0, fixtures.outbox(lock.lockId()).stream().filter(row -> row.eventType().equals("lock_tamper_cleared")).count());

        lock.op().call().body(Map.of("note", "door frame inspected")).post("/locks/{id}/shadow/tamper-clearance", lock.lockId()).then()
                .statusCode(200).body("reported.tampered", equalTo(false)).body("reported.tamperedSince", nullValue());
        List<RegistryFixtures.OutboxRow> cleared = fixtures.outbox(lock.lockId()).stream()
                .filter(row -> row.eventType().equals("lock_tamper_cleared")).toList();
        assertEquals(1, cleared.size());
        EventEnvelope event;
        try {
            event = EventEnvelope.parseFrom(cleared.get(0).payload());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        assertEquals("door frame inspected", event.getLockTamperCleared().getNote());
        assertEquals(t0.getEpochSecond(), event.getLockTamperCleared().getTamperedSince().getSeconds());
        assertFalse(event.getActor().getId().isEmpty());
        lock.op().call().body(Map.of("note", "again")).post("/locks/{id}/shadow/tamper-clearance", lock.lockId()).then().statusCode(409);
    }
}
