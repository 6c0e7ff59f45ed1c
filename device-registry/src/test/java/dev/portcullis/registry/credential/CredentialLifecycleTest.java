package dev.portcullis.registry.credential;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.CredentialSet;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockCredentialsReported;
import dev.portcullis.proto.events.v1.LockPresenceChanged;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.RegistryTopic;
import dev.portcullis.registry.admin.Operators;
import dev.portcullis.testkit.KafkaResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Credentials over real HTTP, PostgreSQL and Kafka: issue (PIN shown once, sealed at rest), the lock's
 * confirmation, capacity, two-phase revocation with an offline lock, reconciliation of a lock's reported
 * inventory, and isolation between organizations. The lock side is {@link TestLockGateway}.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class CredentialLifecycleTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    RegistryFixtures fixtures;

    record Door(Operators op, UUID property, UUID door, UUID lock, TestLockGateway.Lock device) {
    }

    static Door door(int maxUsers, int maxCredentials) {
        Operators op = Operators.ofNewOrganization();
        UUID property = op.property("P");
        UUID model = op.lockModel("Acme", "deadbolt-" + maxCredentials, maxUsers, maxCredentials);
        UUID door = op.create("/doors", Map.of("propertyId", property, "name", "Front"));
        UUID lock = op.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "SN-" + UUID.randomUUID()));
        return new Door(op, property, door, lock, TestLockGateway.on(door));
    }

    static Response issue(Door d, Map<String, ?> body) {
        return d.op().call().body(body).post("/doors/" + d.door() + "/credentials").andReturn();
    }

    static UUID issued(Door d, Map<String, ?> body) {
        Response response = issue(d, body);
        assertEquals(201, response.statusCode(), response.asString());
        return UUID.fromString(response.jsonPath().getString("id"));
    }

    static String state(Door d, UUID credential) {
        return d.op().call().get("/credentials/" + credential).then().statusCode(200).extract().path("state");
    }

    static void awaitState(Door d, UUID credential, String state) {
        await().atMost(WAIT).untilAsserted(() -> assertEquals(state, state(d, credential)));
    }

    static boolean opens(Door d, String pin) {
        return d.device().credentials.present(CredentialSpec.Kind.PIN, pin.getBytes(StandardCharsets.US_ASCII), Instant.now()).opens();
    }

    static void publish(UUID org, UUID lock, EventEnvelope.Builder envelope) {
        Map<String, Object> config = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaResource.bootstrapServers());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>("portcullis.lock.v1", lock.toString(), envelope.setEventId(UUID.randomUUID().toString())
                    .setOrganizationId(org.toString()).setSource("command-service").build().toByteArray())).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void online(Door d) {
        d.device().online = true;
        publish(d.op().org(), d.lock(), EventEnvelope.newBuilder().setLockPresenceChanged(LockPresenceChanged.newBuilder()
                .setLockId(d.lock().toString()).setDoorId(d.door().toString()).setOnline(true)));
    }

    static void report(Door d) {
        LockCredentialsReported.Builder report = LockCredentialsReported.newBuilder().setLockId(d.lock().toString())
                .setDoorId(d.door().toString()).setCredentialSetDigest(ByteString.copyFrom(d.device().credentials.digest()));
        d.device().credentials.ids().forEach(id -> report.addCredentialIds(id.toString()));
        publish(d.op().org(), d.lock(), EventEnvelope.newBuilder().setLockCredentialsReported(report));
    }

    @Test
    void aPinIsShownOnceSealedAtRestAndActiveOnlyOnceTheLockConfirmsIt() {
        Door d = door(10, 20);
        Response response = issue(d, Map.of("type", "PIN", "usage", "permanent", "pin", "482913", "holderSubjectId", "tenant-a"));
        assertEquals(201, response.statusCode(), response.asString());
        assertEquals("no-store", response.header("Cache-Control"));
        assertEquals("482913", response.jsonPath().getString("pin"));
        UUID credential = UUID.fromString(response.jsonPath().getString("id"));

        awaitState(d, credential, "active");
        d.op().call().get("/credentials/" + credential).then().body("pin", equalTo(null)).body("stateReason", equalTo("lock_confirmed"))
                .body("confirmedAt", org.hamcrest.Matchers.notNullValue()).body("pendingSeconds", equalTo(null));
        assertTrue(opens(d, "482913"), "the lock holds the PIN");
        assertFalse(opens(d, "482914"));

        byte[] sealed = (byte[]) fixtures.scalar("select sealed_secret from credential where id = ?", credential);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("482913"), "the PIN is not readable at rest");
        byte[] digest = (byte[]) fixtures.scalar("select confirmed_digest from credential where id = ?", credential);
        assertArrayEquals(d.device().credentials.digest(), digest, "the lock's digest from its confirmation is kept");
        // no event carries the PIN
        fixtures.outbox(d.lock()).forEach(row ->
                assertFalse(new String(row.payload(), StandardCharsets.ISO_8859_1).contains("482913"), row.eventType()));
        assertEquals(List.of("credential_issued", "credential_state_changed"),
                fixtures.outbox(d.lock()).stream().map(RegistryFixtures.OutboxRow::eventType).toList());

        Response generated = issue(d, Map.of("type", "PIN", "usage", "permanent", "holderSubjectId", "tenant-b"));
        assertEquals(201, generated.statusCode(), generated.asString());
        String pin = generated.jsonPath().getString("pin");
        assertTrue(pin.matches("[0-9]{6}"), pin);
        assertFalse(IssueRequest.weak(pin));
        UUID second = UUID.fromString(generated.jsonPath().getString("id"));
        awaitState(d, second, "active");
        assertTrue(opens(d, pin));

        // a duress PIN reaches the lock as one: it opens like any other and the lock knows to raise its silent alert
        Response duress = issue(d, Map.of("type", "PIN", "usage", "permanent", "pin", "913570", "duress", true, "holderSubjectId", "tenant-a"));
        assertEquals(201, duress.statusCode(), duress.asString());
        awaitState(d, UUID.fromString(duress.jsonPath().getString("id")), "active");
        CredentialSet.Check typed = d.device().credentials.present(CredentialSpec.Kind.PIN,
                "913570".getBytes(StandardCharsets.US_ASCII), Instant.now());
        assertTrue(typed.opens() && typed.duress(), typed.toString());
        assertFalse(d.device().credentials.present(CredentialSpec.Kind.PIN, "482913".getBytes(StandardCharsets.US_ASCII), Instant.now()).duress());
        EventEnvelope issuedDuress = fixtures.outbox(d.lock()).stream().map(row -> parse(row.payload()))
                .filter(e -> e.hasCredentialIssued() && e.getCredentialIssued().getCredentialId().equals(duress.jsonPath().getString("id")))
                .findFirst().orElseThrow();
        assertEquals("duress", issuedDuress.getCredentialIssued().getUsage());

        // the same PIN twice on one lock would be ambiguous
        issue(d, Map.of("type", "PIN", "usage", "permanent", "pin", "482913")).then().statusCode(409)
                .contentType("application/problem+json").body("type", org.hamcrest.Matchers.endsWith("secret-in-use"));
    }

    @Test
    void aFullLockRefusesAnotherCredentialWithAClearErrorAndNothingIsWritten() {
        Door d = door(2, 2);
        UUID pin = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "402913", "holderSubjectId", "tenant-a"));
        UUID card = issued(d, Map.of("type", "CARD", "usage", "permanent", "cardUid", "04a1b2c3d4e5f6", "holderSubjectId", "tenant-a"));
        // let the lock confirm both first (its confirmations are events too)
        awaitState(d, pin, "active");
        awaitState(d, card, "active");
        long credentials = fixtures.count("credential");
        long outbox = fixtures.count("outbox_event");

        Response full = issue(d, Map.of("type", "PIN", "usage", "permanent", "pin", "552913", "holderSubjectId", "tenant-b"));
        assertEquals(409, full.statusCode(), full.asString());
        assertEquals("application/problem+json", full.contentType());
        assertTrue(full.jsonPath().getString("type").endsWith("capacity-exceeded"));
        assertTrue(full.jsonPath().getString("detail").contains("2 of the 2 credentials"), full.jsonPath().getString("detail"));
        assertFalse(full.asString().contains("552913"), "the refused PIN is not echoed");
        assertEquals(credentials, fixtures.count("credential"));
        assertEquals(outbox, fixtures.count("outbox_event"));

        Door users = door(1, 5);
        issued(users, Map.of("type", "PIN", "usage", "permanent", "pin", "402913", "holderSubjectId", "tenant-a"));
        issued(users, Map.of("type", "CARD", "usage", "permanent", "cardUid", "04a1b2", "holderSubjectId", "tenant-a"));
        issue(users, Map.of("type", "PIN", "usage", "permanent", "pin", "662913", "holderSubjectId", "tenant-b")).then().statusCode(409)
                .body("detail", org.hamcrest.Matchers.containsString("1 users"));
        issue(users, Map.of("type", "FACE", "usage", "permanent", "holderSubjectId", "tenant-a")).then().statusCode(422)
                .body("type", org.hamcrest.Matchers.endsWith("unsupported-credential-type"));
    }

    @Test
    void aRevocationStaysPendingWhileTheLockIsOfflineAndCompletesOnlyWhenTheLockConfirms() {
        Door d = door(10, 20);
        UUID credential = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "739140", "holderSubjectId", "tenant-a"));
        awaitState(d, credential, "active");

        d.device().online = false;
        d.op().call().body(Map.of("reason", "moved out")).post("/credentials/" + credential + "/revoke").then().statusCode(200)
                .body("state", equalTo("revoke_pending")).body("revokeReason", equalTo("moved out"));
        await().atMost(WAIT).untilAsserted(() -> d.op().call().get("/credentials/" + credential).then()
                .body("lastSyncError", equalTo("LOCK_OFFLINE")));
        int triedWhileOffline = d.device().syncIds.size();
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
        assertEquals("revoke_pending", state(d, credential), "not revoked while the lock has not confirmed");
        assertTrue(opens(d, "739140"), "the offline lock still holds it, which is what revoke_pending says");
        List<Map<String, Object>> pending = d.op().call().get("/credentials?state=revoke_pending").then().statusCode(200).extract().path("");
        assertEquals(1, pending.size());
        assertTrue(((Number) pending.get(0).get("pendingSeconds")).longValue() >= 2, pending.toString());
        d.op().call().get("/locks/" + d.lock() + "/credentials").then().statusCode(200)
                .body("pendingRevocations.id", equalTo(List.of(credential.toString()))).body("live", org.hamcrest.Matchers.empty());

        online(d);
        awaitState(d, credential, "revoked");
        assertFalse(opens(d, "739140"), "the lock confirmed the removal");
        assertTrue(d.device().syncIds.size() > triedWhileOffline);
        assertEquals(Map.of("state", "revoked", "previous", "revoke_pending", "reason", "lock_confirmed"),
                lastStateChange(d.lock(), credential));
    }

    @Test
    void aCredentialThatNeverReachedTheLockIsRevokedAtOnce() {
        Door d = door(10, 20);
        d.device().online = false;
        UUID credential = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "739150"));
        await().atMost(WAIT).untilAsserted(() -> d.op().call().get("/credentials/" + credential).then()
                .body("lastSyncError", equalTo("LOCK_OFFLINE")));
        d.op().call().post("/credentials/" + credential + "/revoke").then().statusCode(200).body("state", equalTo("revoked"))
                .body("stateReason", equalTo("never_delivered"));
    }

    @Test
    void reconciliationRemovesWhatTheLockMissedOrGotLocallyAndResendsWhatItLost() {
        Door d = door(10, 20);
        UUID kept = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "902913", "holderSubjectId", "tenant-a"));
        UUID revoked = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "902914", "holderSubjectId", "tenant-b"));
        awaitState(d, kept, "active");
        awaitState(d, revoked, "active");

        // offline: the revocation cannot be delivered; meanwhile an installer programs a code at the keypad
        d.device().online = false;
        d.op().call().post("/credentials/" + revoked + "/revoke").then().body("state", equalTo("revoke_pending"));
        await().atMost(WAIT).untilAsserted(() -> d.op().call().get("/credentials/" + revoked).then()
                .body("lastSyncError", equalTo("LOCK_OFFLINE")));
        UUID local = UUID.randomUUID();
        d.device().credentials.put(CredentialSpec.pin(local, "135799"));

        // back online, the lock reports what it holds (no presence event: the report alone is enough)
        d.device().online = true;
        report(d);
        awaitState(d, revoked, "revoked");
        await().atMost(WAIT).untilAsserted(() -> assertFalse(d.device().credentials.find(local).isPresent(), "stray removed"));
        assertFalse(opens(d, "902914"));
        assertFalse(opens(d, "135799"));
        assertTrue(opens(d, "902913"), "the credential the platform wants stays");
        EventEnvelope drift = RegistryTopic.recordsKeyed(d.lock().toString(), WAIT, Duration.ofSeconds(3)).stream()
                .map(record -> parse(record.value())).filter(EventEnvelope::hasCredentialDriftDetected).findFirst().orElseThrow();
        assertEquals(List.of(local.toString(), revoked.toString()).stream().sorted().toList(),
                drift.getCredentialDriftDetected().getUnexpectedCredentialIdsList().stream().sorted().toList());
        assertEquals("revocation_not_applied,unexpected",
                fixtures.scalar("select string_agg(kind, ',' order by kind) from credential_drift where lock_id = ?", d.lock()));

        // the next report shows the lock as the platform wants it: the findings are resolved
        report(d);
        await().atMost(WAIT).untilAsserted(() -> d.op().call().get("/locks/" + d.lock() + "/credentials").then()
                .body("drift", org.hamcrest.Matchers.empty()));

        // the lock loses its memory (factory reset, battery out): what is active here is sent again
        d.device().credentials.remove(kept);
        report(d);
        await().atMost(WAIT).untilAsserted(() -> assertTrue(opens(d, "902913"), "re-sent"));
        awaitState(d, kept, "active");

        // the shadow: what the lock reports now is what the platform wants on it
        report(d);
        await().atMost(WAIT).untilAsserted(() -> d.op().call().get("/locks/" + d.lock() + "/shadow").then().statusCode(200)
                .body("inSync.credentialSet", equalTo(true)));
    }

    @Test
    void aRevocationIsConfirmedByTheLocksOwnReportWhenTheLockNoLongerHoldsIt() {
        Door d = door(10, 20);
        UUID credential = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "902917"));
        awaitState(d, credential, "active");
        d.device().online = false;
        d.op().call().post("/credentials/" + credential + "/revoke").then().body("state", equalTo("revoke_pending"));
        await().atMost(WAIT).untilAsserted(() -> d.op().call().get("/credentials/" + credential).then()
                .body("lastSyncError", equalTo("LOCK_OFFLINE")));
        // still held: a report naming it confirms nothing
        report(d);
        await().pollDelay(Duration.ofSeconds(2)).atMost(WAIT).until(() -> true);
        assertEquals("revoke_pending", state(d, credential));
        // the lock lost it (reset) and says so, over its authenticated stream, while still unreachable for commands
        d.device().credentials.remove(credential);
        report(d);
        awaitState(d, credential, "revoked");
        d.op().call().get("/credentials/" + credential).then().body("stateReason", equalTo("absent_from_lock_report"));
    }

    @Test
    void offlineCodesOpenTheLockByItselfWithinTheirWindowAndRotationEndsThem() {
        Door d = door(10, 20);
        d.op().call().body(Map.of("durationHours", 2)).post("/locks/" + d.lock() + "/offline-codes").then().statusCode(409)
                .body("type", org.hamcrest.Matchers.endsWith("no-offline-secret"));
        String first = d.op().call().post("/locks/" + d.lock() + "/offline-code-secret").then().statusCode(201)
                .body("type", equalTo("OFFLINE_CODES")).extract().path("id");
        awaitState(d, UUID.fromString(first), "active");

        Response issued = d.op().call().body(Map.of("durationHours", 2, "label", "plumber")).post("/locks/" + d.lock() + "/offline-codes");
        assertEquals(201, issued.statusCode(), issued.asString());
        assertEquals("no-store", issued.header("Cache-Control"));
        String code = issued.jsonPath().getString("code");
        assertTrue(code.matches("[0-9]{10}"), code);
        Instant end = Instant.parse(issued.jsonPath().getString("windowEnd"));
        String lockId = d.lock().toString();
        assertTrue(d.device().credentials.presentOfflineCode(lockId, code, Instant.now()).opens(), "the lock checks it by itself");
        assertFalse(d.device().credentials.presentOfflineCode(lockId, code, end.plusSeconds(1)).opens(), "not after its window");
        assertFalse(opens(d, code), "it is not a PIN");
        d.op().call().get("/locks/" + d.lock() + "/offline-codes").then().statusCode(200)
                .body("label", equalTo(List.of("plumber"))).body("[0].code", equalTo(null));
        long outbox = fixtures.count("outbox_event");
        d.op().call().body(Map.of("durationHours", 3)).post("/locks/" + d.lock() + "/offline-codes").then().statusCode(400);
        d.op().call().body(Map.of("durationHours", 2, "start", "2030-01-01T10:30:00Z")).post("/locks/" + d.lock() + "/offline-codes")
                .then().statusCode(400);
        d.op().call().body(Map.of("durationHours", 1, "start", "2020-01-01T10:00:00Z")).post("/locks/" + d.lock() + "/offline-codes")
                .then().statusCode(400);
        assertEquals(outbox, fixtures.count("outbox_event"), "a refused code records nothing");

        // rotation: the old secret is revoked (confirmed by the lock), its codes stop; a new code opens
        String second = d.op().call().post("/locks/" + d.lock() + "/offline-code-secret").then().statusCode(201).extract().path("id");
        awaitState(d, UUID.fromString(first), "revoked");
        awaitState(d, UUID.fromString(second), "active");
        assertFalse(d.device().credentials.presentOfflineCode(lockId, code, Instant.now()).opens(), "codes of the old secret are dead");
        String fresh = d.op().call().body(Map.of("durationHours", 1)).post("/locks/" + d.lock() + "/offline-codes").then().statusCode(201)
                .extract().path("code");
        assertTrue(d.device().credentials.presentOfflineCode(lockId, fresh, Instant.now()).opens());

        Operators other = Operators.ofNewOrganization();
        other.call().post("/locks/" + d.lock() + "/offline-code-secret").then().statusCode(404);
        other.call().body(Map.of("durationHours", 1)).post("/locks/" + d.lock() + "/offline-codes").then().statusCode(404);
        other.call().get("/locks/" + d.lock() + "/offline-codes").then().statusCode(404);
    }

    @Test
    void requestsAreCheckedFieldByField() {
        Door d = door(10, 20);
        Map<Map<String, ?>, Integer> cases = new HashMap<>();
        cases.put(Map.of("type", "PIN", "usage", "permanent", "pin", "12a4"), 400);
        cases.put(Map.of("type", "PIN", "usage", "permanent", "pin", "1234"), 422);
        cases.put(Map.of("type", "PIN", "usage", "permanent", "pin", "777777"), 422);
        cases.put(Map.of("type", "PIN", "usage", "permanent", "pin", "482913", "validUntil", "2099-01-01T00:00:00Z"), 400);
        cases.put(Map.of("type", "PIN", "usage", "temporary", "pin", "482913"), 400);
        cases.put(Map.of("type", "PIN", "usage", "temporary", "pin", "482913", "validUntil", "2001-01-01T00:00:00Z"), 400);
        cases.put(Map.of("type", "CARD", "usage", "permanent", "cardUid", "xyz"), 400);
        cases.put(Map.of("type", "CARD", "usage", "permanent", "cardUid", "04a1", "duress", true, "holderSubjectId", "x"), 400);
        cases.put(Map.of("type", "PIN", "usage", "scheduled", "pin", "482913"), 400);
        cases.put(Map.of("type", "PIN", "usage", "scheduled", "pin", "482913",
                "windows", List.of(Map.of("day", "FUNDAY", "start", "08:00", "end", "18:00"))), 400);
        cases.put(Map.of("type", "PIN", "usage", "permanent", "pin", "482913", "colour", "red"), 400);
        cases.put(Map.of("type", "KEY", "usage", "permanent"), 400);
        cases.forEach((body, status) -> {
            Response response = issue(d, body);
            assertEquals(status, response.statusCode(), body + " → " + response.asString());
            assertEquals("application/problem+json", response.contentType());
        });
        assertEquals(0L, ((Number) fixtures.scalar("select count(*) from credential where lock_id = ?", d.lock())).longValue());

        UUID scheduled = issued(d, Map.of("type", "PIN", "usage", "scheduled", "pin", "482913",
                "windows", List.of(Map.of("day", "MONDAY", "start", "08:00", "end", "18:00"))));
        d.op().call().get("/credentials/" + scheduled).then().body("timeZone", equalTo("Europe/Berlin"))
                .body("windows[0].start", equalTo("08:00"));
    }

    @Test
    void anotherOrganizationSeesNothingAndChangesNothing() {
        Door d = door(10, 20);
        UUID credential = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "482913"));
        Operators other = Operators.ofNewOrganization();
        other.call().get("/credentials/" + credential).then().statusCode(404);
        other.call().post("/credentials/" + credential + "/revoke").then().statusCode(404);
        other.call().body(Map.of("type", "PIN", "usage", "permanent")).post("/doors/" + d.door() + "/credentials").then().statusCode(404);
        other.call().get("/locks/" + d.lock() + "/credentials").then().statusCode(404);
        other.call().get("/credentials").then().statusCode(200).body("", org.hamcrest.Matchers.empty());
        // the other organization's operator naming the first organization in the path
        io.restassured.RestAssured.given().auth().oauth2(other.token()).get("/admin/v1/organizations/" + d.op().org() + "/credentials/" + credential)
                .then().statusCode(404);
        d.op().withRoles("tenant").call().get("/credentials/" + credential).then().statusCode(403);
        assertNotNull(state(d, credential));
        assertTrue(List.of("sync_pending", "active").contains(state(d, credential)));
    }

    static EventEnvelope parse(byte[] bytes) {
        try {
            return EventEnvelope.parseFrom(bytes);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, String> lastStateChange(UUID lock, UUID credential) {
        List<EventEnvelope> changes = new ArrayList<>();
        fixtures.outbox(lock).forEach(row -> {
            EventEnvelope envelope = parse(row.payload());
            if (envelope.hasCredentialStateChanged() && envelope.getCredentialStateChanged().getCredentialId().equals(credential.toString())) {
                changes.add(envelope);
            }
        });
        assertFalse(changes.isEmpty());
        var last = changes.get(changes.size() - 1).getCredentialStateChanged();
        return Map.of("state", last.getState(), "previous", last.getPreviousState(), "reason", last.getReason());
    }
}
