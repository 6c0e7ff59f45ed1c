package dev.portcullis.simulator;

import static dev.portcullis.simulator.support.FakePlatform.await;
import static dev.portcullis.simulator.support.SimulatorResource.LOCK_A;
import static dev.portcullis.simulator.support.SimulatorResource.LOCK_B;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.Acknowledgement;
import dev.portcullis.lock.protocol.CommandBuilder;
import dev.portcullis.lock.protocol.InMemoryLockKeys;
import dev.portcullis.lock.protocol.InMemoryPlatformKeys;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.lock.protocol.RecoveryChallenge;
import dev.portcullis.lock.protocol.RejectionReason;
import dev.portcullis.lock.protocol.SealedCommand;
import dev.portcullis.lock.protocol.wire.CommandEnvelope;
import dev.portcullis.proto.gateway.v1.DoorState;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.simulator.support.FakePlatform;
import dev.portcullis.simulator.support.SimulatorResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The simulator as a whole, against a real gRPC gateway and a real HTTP registry on loopback that use
 * lock-protocol's platform side (command builder, acknowledgement verifier, challenge verification).
 */
@QuarkusTest
@WithTestResource(SimulatorResource.class)
class LockSimulatorTest {

    private static final Duration WAIT = Duration.ofSeconds(15);

    private final FakePlatform platform = SimulatorResource.platform();

    @BeforeEach
    void lockAIsConnected() {
        await("lock A connected", WAIT, () -> platform.gateway().connected(LOCK_A) && view(LOCK_A).getBoolean("connected"));
    }

    @Test
    void enrollsWithItsOwnKeysAfterTheRegistryComesUpAndAuthenticatesToTheGateway() throws Exception {
        // Two 503s while the registry "was starting", then the enrollment: retried, not given up.
        assertEquals(3, platform.registry().requests(LOCK_A));
        Path directory = SimulatorResource.dataDir().resolve(LOCK_A);
        InMemoryLockKeys onDisk = InMemoryLockKeys.load(directory.resolve("signing-key.pem"), directory.resolve("agreement-key.pem"));
        LockIdentity enrolled = platform.registry().identity(LOCK_A);
        assertEquals(onDisk.signingKeyId(), enrolled.signingKeyId(), "the registry holds the lock's own signing key");
        assertEquals(onDisk.agreementKeyId(), enrolled.agreementKeyId());
        assertEquals("simulator-0.1.0", platform.registry().lastRequest(LOCK_A).path("firmwareVersion").asText());
        // The gateway verified the challenge signature with the enrolled key before welcoming the lock.
        assertTrue(platform.gateway().welcomes(LOCK_A) >= 1);
        await("heartbeats", WAIT, () -> platform.gateway().heartbeats(LOCK_A) >= 2);

        JsonPath lock = view(LOCK_A);
        assertTrue(lock.getBoolean("enrolled"));
        assertEquals("ENROLLED", lock.getString("enrollment"));
        assertEquals(1, lock.getInt("keyEpoch"));
        assertEquals(onDisk.signingKeyId(), lock.getString("signingKeyId"));
        given().get("/v1/locks").then().statusCode(200).body("id", containsInAnyOrder(LOCK_A, LOCK_B));

        // Private state is the owner's only.
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory)));
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
            }
        }
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void inRecoveryModeTheLockAnswersAnOrphanRecoveryChallengeWithItsEnrolledKey() {
        byte[] challenge = new byte[RecoveryChallenge.CHALLENGE_BYTES];
        new java.security.SecureRandom().nextBytes(challenge);
        String answer = given().contentType(ContentType.JSON).body(Map.of("challenge", Base64.getEncoder().encodeToString(challenge)))
                .post("/v1/locks/{id}/recovery", LOCK_A).then().statusCode(200).extract().path("answer");
        LockIdentity enrolled = platform.registry().identity(LOCK_A);
        assertTrue(RecoveryChallenge.verify(enrolled.signingKey(), LOCK_A, challenge, Base64.getDecoder().decode(answer)),
                "the registry verifies the answer with the key the lock enrolled");
        given().contentType(ContentType.JSON).body(Map.of("challenge", "AAAA")).post("/v1/locks/{id}/recovery", LOCK_A)
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body(Map.of("challenge", Base64.getEncoder().encodeToString(challenge)))
                .post("/v1/locks/{id}/recovery", LOCK_B).then().statusCode(409).contentType(startsWith("application/problem+json"));
    }

    @Test
    void aRefusedEnrollmentIsFinal() throws Exception {
        await("lock B refused", WAIT, () -> "REFUSED".equals(view(LOCK_B).getString("enrollment")));
        Thread.sleep(500); // retries would come every 50-200 ms
        assertEquals(1, platform.registry().requests(LOCK_B), "a 401 is not retried (it would burn the secret)");
        JsonPath lock = view(LOCK_B);
        assertFalse(lock.getBoolean("enrolled"));
        assertFalse(lock.getBoolean("connected"));
        assertEquals(0, platform.gateway().welcomes(LOCK_B));
        given().contentType(ContentType.JSON).body(Map.of("envelope", "AAAA"))
                .post("/v1/locks/{id}/inject", LOCK_B)
                .then().statusCode(409).contentType(startsWith("application/problem+json"));
    }

    @Test
    void executesAValidCommandExactlyOnceAndSignsTheAcknowledgement() throws Exception {
        long actuations = view(LOCK_A).getLong("actuations");
        SealedCommand command = platform.unlock(LOCK_A);

        Acknowledgement ack = platform.deliver(LOCK_A, command.envelope(), command.commandHash());

        assertTrue(ack.executed(), ack.toString());
        assertEquals(command.commandId(), ack.commandId());
        assertEquals(command.counter(), ack.counter());
        assertEquals(command.counter(), ack.lastAcceptedCounter());
        JsonPath lock = view(LOCK_A);
        assertEquals(actuations + 1, lock.getLong("actuations"));
        assertEquals(command.counter(), lock.getLong("lastCounter"));
        assertEquals("UNLOCKED", lock.getString("doorState"));
        assertEquals(Base64.getEncoder().encodeToString(command.envelope()), lock.getString("lastEnvelope"));
        await("relocked", WAIT, () -> "LOCKED".equals(view(LOCK_A).getString("doorState")));
        assertEquals(actuations + 1, view(LOCK_A).getLong("actuations"), "relocking by itself is not a command");
    }

    @Test
    void credentialsPutByThePlatformOpenAtTheKeypadWithinTheirWindowAndADuressPinOpensSilentlyAlerting() throws Exception {
        dev.portcullis.lock.protocol.CredentialSpec guest = new dev.portcullis.lock.protocol.CredentialSpec(java.util.UUID.randomUUID(),
                dev.portcullis.lock.protocol.CredentialSpec.Kind.PIN, "402718".getBytes(), false,
                java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(3600), List.of(), null, 0);
        dev.portcullis.lock.protocol.CredentialSpec later = new dev.portcullis.lock.protocol.CredentialSpec(java.util.UUID.randomUUID(),
                dev.portcullis.lock.protocol.CredentialSpec.Kind.PIN, "550011".getBytes(), false,
                java.time.Instant.now().plusSeconds(3600), null, List.of(), null, 0);
        dev.portcullis.lock.protocol.CredentialSpec duress = new dev.portcullis.lock.protocol.CredentialSpec(java.util.UUID.randomUUID(),
                dev.portcullis.lock.protocol.CredentialSpec.Kind.PIN, "911911".getBytes(), true, null, null, List.of(), null, 0);
        byte[] digest = null;
        for (dev.portcullis.lock.protocol.CredentialSpec credential : List.of(guest, later, duress)) {
            SealedCommand put = platform.credential(LOCK_A, dev.portcullis.lock.protocol.LockCommandAction.CREDENTIAL_PUT, credential);
            Acknowledgement ack = platform.deliver(LOCK_A, put.envelope(), put.commandHash());
            assertTrue(ack.executed(), ack.toString());
            digest = ack.credentialSetDigest();
        }
        assertTrue(java.util.Arrays.equals(dev.portcullis.lock.protocol.CredentialSet.digestOf(List.of(guest, later, duress)), digest),
                "the lock signs for exactly the three credentials");
        long actuations = view(LOCK_A).getLong("actuations");

        assertTrue(keypad("402718"), "inside its validity");
        assertFalse(keypad("550011"), "not yet valid");
        assertFalse(keypad("123456"), "unknown");
        assertTrue(keypad("911911"), "a duress PIN opens like any other");
        assertEquals(actuations + 2, view(LOCK_A).getLong("actuations"));
        await("silent DURESS event naming the credential", WAIT, () -> platform.gateway().events().stream()
                .anyMatch(event -> event.getType() == dev.portcullis.proto.gateway.v1.LockEventType.LOCK_EVENT_TYPE_DURESS
                        && event.getCredentialId().equals(duress.id().toString())));
        await("WRONG_CODE events", WAIT, () -> platform.gateway().events().stream()
                .filter(event -> event.getType() == dev.portcullis.proto.gateway.v1.LockEventType.LOCK_EVENT_TYPE_WRONG_CODE).count() >= 2);

        // Revoked: the guest PIN stops working at once.
        SealedCommand remove = platform.credential(LOCK_A, dev.portcullis.lock.protocol.LockCommandAction.CREDENTIAL_REMOVE,
                dev.portcullis.lock.protocol.CredentialSpec.removal(guest.id()));
        assertTrue(platform.deliver(LOCK_A, remove.envelope(), remove.commandHash()).executed());
        assertFalse(keypad("402718"));
        given().contentType(ContentType.JSON).body(Map.of("pin", "12")).post("/v1/locks/{id}/keypad", LOCK_A)
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
    }

    @Test
    void theLockReportsItsCredentialInventoryOnEveryConnectAndWhenProgrammedLocallyAndCanGoOffline() throws Exception {
        await("inventory after connecting", WAIT, () -> !platform.gateway().inventories(LOCK_A).isEmpty());
        int reports = platform.gateway().inventories(LOCK_A).size();
        String local = given().contentType(ContentType.JSON).body(Map.of("pin", "864213")).post("/v1/locks/{id}/local-credentials", LOCK_A)
                .then().statusCode(201).extract().path("credentialId");
        await("inventory naming the locally programmed code", WAIT, () -> platform.gateway().inventories(LOCK_A).size() > reports
                && platform.gateway().inventories(LOCK_A).get(platform.gateway().inventories(LOCK_A).size() - 1).getCredentialIdsList().contains(local));
        var last = platform.gateway().inventories(LOCK_A).get(platform.gateway().inventories(LOCK_A).size() - 1);
        assertEquals(32, last.getCredentialSetDigest().size());
        assertFalse(last.toString().contains("864213"), "ids and digest only");
        given().get("/v1/locks/{id}/credentials/{c}", LOCK_A, local).then().statusCode(204);
        assertTrue(keypad("864213"));

        int welcomes = platform.gateway().welcomes(LOCK_A);
        given().contentType(ContentType.JSON).body(Map.of("online", false)).post("/v1/locks/{id}/connection", LOCK_A)
                .then().statusCode(200).body("connected", org.hamcrest.Matchers.equalTo(false));
        await("stream closed", WAIT, () -> !platform.gateway().connected(LOCK_A));
        Thread.sleep(500);
        assertEquals(welcomes, platform.gateway().welcomes(LOCK_A), "an offline lock does not reconnect");
        int before = platform.gateway().inventories(LOCK_A).size();
        given().contentType(ContentType.JSON).body(Map.of("online", true)).post("/v1/locks/{id}/connection", LOCK_A).then().statusCode(200);
        await("reconnected and reported again", WAIT, () -> platform.gateway().connected(LOCK_A)
                && platform.gateway().inventories(LOCK_A).size() > before);
        given().contentType(ContentType.JSON).body(Map.of()).post("/v1/locks/{id}/connection", LOCK_A).then().statusCode(400);

        // the platform, as the authority, removes what it never issued
        SealedCommand remove = platform.credential(LOCK_A, dev.portcullis.lock.protocol.LockCommandAction.CREDENTIAL_REMOVE,
                dev.portcullis.lock.protocol.CredentialSpec.removal(java.util.UUID.fromString(local)));
        assertTrue(platform.deliver(LOCK_A, remove.envelope(), remove.commandHash()).executed());
        given().get("/v1/locks/{id}/credentials/{c}", LOCK_A, local).then().statusCode(404);
        assertFalse(keypad("864213"));
    }

    private static boolean keypad(String pin) {
        return given().contentType(ContentType.JSON).body(Map.of("pin", pin)).post("/v1/locks/{id}/keypad", LOCK_A)
                .then().statusCode(200).extract().path("opened");
    }

    @Test
    void aReplayedEnvelopeIsRefusedOnTheGatewayAndWhenInjected() throws Exception {
        SealedCommand command = platform.unlock(LOCK_A);
        assertTrue(platform.deliver(LOCK_A, command.envelope(), command.commandHash()).executed());
        JsonPath before = view(LOCK_A);

        Acknowledgement replay = platform.deliver(LOCK_A, command.envelope(), command.commandHash());
        assertEquals(Acknowledgement.Outcome.REFUSED, replay.outcome());
        assertEquals(RejectionReason.REPLAYED_COUNTER, replay.reason());

        JsonPath injected = given().contentType(ContentType.JSON)
                .body(Map.of("envelope", before.getString("lastEnvelope")))
                .post("/v1/locks/{id}/inject", LOCK_A)
                .then().statusCode(200).extract().jsonPath();
        assertFalse(injected.getBoolean("accepted"));
        assertEquals("REPLAYED_COUNTER", injected.getString("reason"));
        Acknowledgement refusal = platform.verifyAck(LOCK_A, Base64.getDecoder().decode(injected.getString("signedAck")),
                command.commandHash());
        assertEquals(RejectionReason.REPLAYED_COUNTER, refusal.reason());

        JsonPath after = view(LOCK_A);
        assertEquals(before.getLong("actuations"), after.getLong("actuations"), "a replay must not move the lock");
        assertEquals(before.getLong("rejections") + 2, after.getLong("rejections"));
        assertEquals("REPLAYED_COUNTER", after.getString("lastRejection"));
        // The injected (out-of-band) replay is also reported up the stream.
        await("COMMAND_REJECTED event", WAIT, () -> platform.gateway().events().stream()
                .anyMatch(e -> e.getType() == LockEventType.LOCK_EVENT_TYPE_COMMAND_REJECTED && e.getDetail().equals("REPLAYED_COUNTER")));
    }

    @Test
    void refusesExpiredRetargetedTamperedAndForeignCommandsWithoutMoving() throws Exception {
        long actuations = view(LOCK_A).getLong("actuations");
        LockIdentity lockA = platform.registry().identity(LOCK_A);
        Instant now = Instant.now();

        SealedCommand expired = platform.seal(lockA, platform.nextCounter(LOCK_A), now.minusSeconds(20), now.minusSeconds(10));
        assertRefused(expired, RejectionReason.EXPIRED);

        InMemoryLockKeys otherKeys = InMemoryLockKeys.generate();
        LockIdentity otherLock = new LockIdentity("7d4f0a2e-3b1c-4e5d-9f6a-0b1c2d3e4f99", otherKeys.signingPublicKey(),
                otherKeys.agreementPublicKey(), 1);
        SealedCommand retargeted = platform.seal(otherLock, platform.nextCounter(LOCK_A), now, now.plusSeconds(5));
        assertRefused(retargeted, RejectionReason.WRONG_LOCK);

        SealedCommand valid = platform.unlock(LOCK_A);
        CommandEnvelope parsed = CommandEnvelope.parseFrom(valid.envelope());
        byte[] ciphertext = parsed.getCiphertext().toByteArray();
        ciphertext[0] ^= 0x01;
        byte[] tampered = parsed.toBuilder().setCiphertext(ByteString.copyFrom(ciphertext)).build().toByteArray();
        Acknowledgement tamperedAck = platform.deliver(LOCK_A, tampered, sha256(tampered));
        assertEquals(RejectionReason.BAD_SIGNATURE, tamperedAck.reason());

        SealedCommand foreign = FakePlatform.seal(new CommandBuilder(InMemoryPlatformKeys.generate()), lockA, platform.nextCounter(LOCK_A),
                now, now.plusSeconds(5));
        assertRefused(foreign, RejectionReason.UNKNOWN_PLATFORM_KEY);

        assertEquals(actuations, view(LOCK_A).getLong("actuations"), "no refused command moves the lock");
        // The untampered original still executes: refusals consumed nothing.
        assertTrue(platform.deliver(LOCK_A, valid.envelope(), valid.commandHash()).executed());
        assertEquals(actuations + 1, view(LOCK_A).getLong("actuations"));
    }

    @Test
    void reconnectsAndReauthenticatesWhenTheStreamDrops() {
        int sessions = platform.gateway().welcomes(LOCK_A);
        platform.gateway().drop(LOCK_A);
        await("re-authenticated", WAIT, () -> platform.gateway().welcomes(LOCK_A) > sessions && platform.gateway().connected(LOCK_A));
        await("shown as connected", WAIT, () -> view(LOCK_A).getBoolean("connected"));
        assertTrue(view(LOCK_A).getInt("sessions") > 1);
    }

    @Test
    void reportsDoorEventsUpTheStream() {
        String eventId = given().contentType(ContentType.JSON).body(Map.of("type", "DOOR_OPENED"))
                .post("/v1/locks/{id}/events", LOCK_A)
                .then().statusCode(202).body("type", equalTo("LOCK_EVENT_TYPE_DOOR_STATE"))
                .extract().path("eventId");
        await("door event at the gateway", WAIT, () -> platform.gateway().events().stream().anyMatch(e -> e.getEventId().equals(eventId)));
        LockEvent event = platform.gateway().events().stream().filter(e -> e.getEventId().equals(eventId)).findFirst().orElseThrow();
        assertEquals(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE, event.getType());
        assertEquals(DoorState.DOOR_STATE_OPEN, event.getDoorState());
        assertTrue(event.hasOccurredAt());
        assertEquals("OPEN", view(LOCK_A).getString("doorPosition"));

        given().contentType(ContentType.JSON).body(Map.of("type", "COMMAND_REJECTED"))
                .post("/v1/locks/{id}/events", LOCK_A)
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body(Map.of("type", "TAMPER"))
                .post("/v1/locks/{id}/events", LOCK_B)
                .then().statusCode(409).contentType(startsWith("application/problem+json"));
    }

    @Test
    void badRequestsGetProblemDetails() {
        given().get("/v1/locks/{id}", "no-such-lock")
                .then().statusCode(404).contentType(startsWith("application/problem+json")).body("status", equalTo(404));
        given().contentType(ContentType.JSON).body(Map.of("envelope", "not base64!"))
                .post("/v1/locks/{id}/inject", LOCK_A)
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        given().contentType(ContentType.JSON).body("{not json")
                .post("/v1/locks/{id}/inject", LOCK_A)
                .then().statusCode(400).contentType(startsWith("application/problem+json"));
        // Garbage that is valid base64 is a command the lock refuses, not an error.
        given().contentType(ContentType.JSON).body(Map.of("envelope", Base64.getEncoder().encodeToString(new byte[] {1, 2, 3})))
                .post("/v1/locks/{id}/inject", LOCK_A)
                .then().statusCode(200).body("accepted", equalTo(false)).body("reason", equalTo("MALFORMED"));
    }

    private void assertRefused(SealedCommand command, RejectionReason reason) throws Exception {
        Acknowledgement ack = platform.deliver(LOCK_A, command.envelope(), command.commandHash());
        assertEquals(Acknowledgement.Outcome.REFUSED, ack.outcome());
        assertEquals(reason, ack.reason());
        assertEquals(reason.name(), view(LOCK_A).getString("lastRejection"));
    }

    private static JsonPath view(String id) {
        return given().get("/v1/locks/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return java.security.MessageDigest.getInstance("SHA-256").digest(data);
    }
}
