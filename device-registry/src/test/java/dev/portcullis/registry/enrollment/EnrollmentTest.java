package dev.portcullis.registry.enrollment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockEnrolled;
import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.RegistryTopic;
import dev.portcullis.registry.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A lock enrolls once with its one-time secret; its keys, the spent secret and LockEnrolled commit together. */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class EnrollmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    RegistryFixtures fixtures;

    @ConfigProperty(name = "portcullis.platform.signing-public-key")
    String platformSigningKey;

    @ConfigProperty(name = "portcullis.platform.agreement-public-key")
    String platformAgreementKey;

    @ConfigProperty(name = "portcullis.demo.doors[0].enrollment-secret")
    String frontDoorSecret;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void theDemoLockEnrollsWithItsSecretAndLearnsThePlatformKeys() throws Exception {
        UUID lockId = UUID.fromString(RegistryTestProfile.FRONT_LOCK);
        TestKeys.LockPublicKeys keys = TestKeys.LockPublicKeys.generate();
        Instant before = Instant.now();

        Response response = Enrollments.enroll(lockId, frontDoorSecret, keys);

        assertEquals(200, response.statusCode(), response.asString());
        assertTrue(response.contentType().startsWith("application/json"), response.contentType());
        JsonNode body = JSON.readTree(response.asString());
        assertEquals(Set.of("lockId", "keyEpoch", "signingKeyId", "agreementKeyId", "platform"), fields(body));
        assertEquals(lockId.toString(), body.get("lockId").asText());
        assertEquals(1, body.get("keyEpoch").asInt());
        assertEquals(KeyIds.of(keys.signing()), body.get("signingKeyId").asText());
        assertEquals(KeyIds.of(keys.agreement()), body.get("agreementKeyId").asText());
        JsonNode platform = body.get("platform");
        assertEquals(Set.of("signingKey", "agreementKey"), fields(platform));
        assertPlatformKey(platform.get("signingKey"), platformSigningKey);
        assertPlatformKey(platform.get("agreementKey"), platformAgreementKey);

        RegistryFixtures.LockRow lock = fixtures.lock(lockId);
        assertEquals("ENROLLED", lock.status());
        assertArrayEquals(keys.signing().getEncoded(), lock.signingSpki());
        assertArrayEquals(keys.agreement().getEncoded(), lock.agreementSpki());
        assertEquals(KeyIds.of(keys.signing()), lock.signingKeyId());
        assertEquals(KeyIds.of(keys.agreement()), lock.agreementKeyId());
        assertEquals(1, lock.keyEpoch());
        assertEquals(Enrollments.FIRMWARE, lock.firmwareVersion());
        assertNotNull(lock.enrolledAt());
        RegistryFixtures.SecretRow secret = fixtures.secret(lockId);
        assertNotNull(secret.usedAt(), "the secret is spent");
        assertNull(secret.burnedAt());

        // The event is in the outbox, written in the enrollment's transaction ...
        List<RegistryFixtures.OutboxRow> outbox = fixtures.outbox(lockId);
        assertEquals(1, outbox.size(), "exactly one outbox row");
        RegistryFixtures.OutboxRow row = outbox.get(0);
        assertEquals(RegistryFixtures.TOPIC, row.topic());
        assertEquals("lock_enrolled", row.eventType());
        EventEnvelope stored = EventEnvelope.parseFrom(row.payload());
        assertLockEnrolled(stored, lockId, keys, before);
        assertEquals(row.eventId().toString(), stored.getEventId());

        // ... and the relay delivers it to Kafka, exactly once.
        List<ConsumerRecord<String, byte[]>> records = RegistryTopic.recordsKeyed(lockId.toString(), Duration.ofSeconds(30),
                Duration.ofSeconds(2));
        assertEquals(1, records.size(), "LockEnrolled reaches Kafka exactly once");
        ConsumerRecord<String, byte[]> record = records.get(0);
        EventEnvelope delivered = EventEnvelope.parseFrom(record.value());
        assertEquals(stored, delivered);
        assertEquals(stored.getEventId(), new String(record.headers().lastHeader("event_id").value(), StandardCharsets.UTF_8));
        assertEquals("lock_enrolled", new String(record.headers().lastHeader("event_type").value(), StandardCharsets.UTF_8));
        assertNotNull(fixtures.outbox(lockId).get(0).publishedAt(), "the relay marked the row published");
    }

    @Test
    void theSecretIsSingleUse() throws Exception {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        TestKeys.LockPublicKeys first = TestKeys.LockPublicKeys.generate();
        assertEquals(200, Enrollments.enroll(pending.lockId(), pending.secret(), first).statusCode());
        RegistryFixtures.LockRow enrolled = fixtures.lock(pending.lockId());

        // The lock repeats its enrollment (its answer was lost): same secret, same keys, same answer, nothing new.
        Response firstAnswer = Enrollments.enroll(pending.lockId(), pending.secret(), first);
        assertEquals(200, firstAnswer.statusCode(), firstAnswer.asString());
        assertEquals(enrolled.signingKeyId(), firstAnswer.jsonPath().getString("signingKeyId"));
        assertEquals(1, firstAnswer.jsonPath().getInt("keyEpoch"));

        // Someone who learned the secret tries to enroll their own keys; and the lock's own repeat after the
        // repeat window is refused too.
        Response attacker = Enrollments.enroll(pending.lockId(), pending.secret(), TestKeys.LockPublicKeys.generate());
        fixtures.secretUsedAgo(pending.lockId(), Duration.ofMinutes(11));
        Response lateRetry = Enrollments.enroll(pending.lockId(), pending.secret(), first);

        for (Response refused : List.of(attacker, lateRetry)) {
            assertEquals(401, refused.statusCode(), refused.asString());
            assertTrue(refused.contentType().startsWith("application/problem+json"));
        }
        RegistryFixtures.LockRow after = fixtures.lock(pending.lockId());
        assertArrayEquals(first.signing().getEncoded(), after.signingSpki(), "keys unchanged");
        assertArrayEquals(first.agreement().getEncoded(), after.agreementSpki(), "keys unchanged");
        assertEquals(enrolled.signingKeyId(), after.signingKeyId());
        assertEquals(enrolled.agreementKeyId(), after.agreementKeyId());
        assertEquals(1, after.keyEpoch());
        assertEquals(enrolled.enrolledAt(), after.enrolledAt());
        assertEquals(1, fixtures.outbox(pending.lockId()).size(), "one LockEnrolled, not one per attempt");

        // Spent means spent: even a lock awaiting enrollment again needs a newly issued secret.
        fixtures.awaitEnrollmentAgain(pending.lockId());
        assertEquals(401, Enrollments.enroll(pending.lockId(), pending.secret(), TestKeys.LockPublicKeys.generate()).statusCode());
        assertArrayEquals(first.signing().getEncoded(), fixtures.lock(pending.lockId()).signingSpki(), "keys unchanged");
        assertEquals(1, fixtures.lock(pending.lockId()).keyEpoch());
        assertEquals(1, fixtures.outbox(pending.lockId()).size());
    }

    @Test
    void concurrentEnrollmentsWithTheSameSecretEnrollExactlyOnce() throws Exception {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        HttpClient http = HttpClient.newHttpClient();
        List<TestKeys.LockPublicKeys> keys = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            TestKeys.LockPublicKeys candidate = TestKeys.LockPublicKeys.generate();
            keys.add(candidate);
            String body = JSON.writeValueAsString(Enrollments.body(pending.secret(), candidate));
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + port + "/v1/locks/" + pending.lockId() + "/enrollment"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        int enrolled = 0;
        TestKeys.LockPublicKeys winner = null;
        for (int i = 0; i < calls.size(); i++) {
            HttpResponse<String> response = calls.get(i).get();
            if (response.statusCode() == 200) {
                enrolled++;
                winner = keys.get(i);
            } else {
                assertEquals(401, response.statusCode(), response.body());
            }
        }
        assertEquals(1, enrolled, "exactly one of the racing enrollments wins");
        assertArrayEquals(winner.signing().getEncoded(), fixtures.lock(pending.lockId()).signingSpki());
        assertEquals(1, fixtures.lock(pending.lockId()).keyEpoch());
        assertEquals(1, fixtures.outbox(pending.lockId()).size());
    }

    private static void assertPlatformKey(JsonNode key, String configured) throws Exception {
        assertEquals(Set.of("keyId", "spki"), fields(key));
        assertEquals(configured, key.get("spki").asText());
        assertEquals(KeyIds.ofSpki(Base64.getDecoder().decode(configured)), key.get("keyId").asText());
    }

    private static void assertLockEnrolled(EventEnvelope envelope, UUID lockId, TestKeys.LockPublicKeys keys, Instant before) {
        assertEquals(RegistryTestProfile.ORG, envelope.getOrganizationId());
        assertEquals("device-registry", envelope.getSource());
        assertEquals(ActorType.ACTOR_TYPE_LOCK, envelope.getActor().getType());
        assertEquals(lockId.toString(), envelope.getActor().getId());
        assertTrue(envelope.getOccurredAt().getSeconds() >= before.getEpochSecond());
        assertTrue(envelope.hasLockEnrolled());
        LockEnrolled event = envelope.getLockEnrolled();
        assertEquals(lockId.toString(), event.getLockId());
        assertEquals(RegistryTestProfile.FRONT_DOOR, event.getDoorId());
        assertEquals(KeyIds.of(keys.signing()), event.getSigningKeyId());
        assertEquals(KeyIds.of(keys.agreement()), event.getAgreementKeyId());
        assertEquals(1, event.getKeyEpoch());
    }

    private static Set<String> fields(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Prometheus scrapes this (the ServiceMonitor in k8s/); never routed by the Ingress. */
    @Test
    void prometheusMetricsAreServed() {
        io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
