package dev.portcullis.registry.enrollment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every refused enrollment looks the same from outside (unknown lock, wrong, expired, used, burned or
 * another lock's secret), writes nothing but the failed-attempt count, and too many wrong guesses burn
 * the secret for good.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class EnrollmentRefusalTest {

    private static final String REFUSED_BODY = "{\"type\":\"https://portcullis.dev/problems/enrollment-refused\","
            + "\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"Enrollment refused: the lock id and enrollment secret"
            + " do not match a lock awaiting enrollment\",\"instance\":\"<instance>\"}";

    @Inject
    RegistryFixtures fixtures;

    @Test
    void everyRefusalIsTheSame401AndWritesNothing() {
        UUID org = UUID.randomUUID();
        TestKeys.LockPublicKeys keys = TestKeys.LockPublicKeys.generate();
        long outboxBefore = fixtures.count("outbox_event");

        RegistryFixtures.PendingLock wrong = fixtures.pendingLock(org);
        RegistryFixtures.PendingLock expired = fixtures.pendingLock(org);
        fixtures.expireSecret(expired.lockId());
        RegistryFixtures.PendingLock other = fixtures.pendingLock(org);
        RegistryFixtures.PendingLock victim = fixtures.pendingLock(org);
        UUID withoutSecret = fixtures.lockWithoutSecret(org);
        RegistryFixtures.PendingLock used = fixtures.pendingLock(org);
        assertEquals(200, Enrollments.enroll(used.lockId(), used.secret(), TestKeys.LockPublicKeys.generate()).statusCode());
        long outboxAfterSetUp = fixtures.count("outbox_event");

        Map<String, Response> refusals = new LinkedHashMap<>();
        refusals.put("wrong secret", Enrollments.enroll(wrong.lockId(), RegistryTestProfile.secret(), keys));
        refusals.put("unknown lock", Enrollments.enroll(UUID.randomUUID(), wrong.secret(), keys));
        refusals.put("expired secret", Enrollments.enroll(expired.lockId(), expired.secret(), keys));
        refusals.put("another lock's secret", Enrollments.enroll(victim.lockId(), other.secret(), keys));
        refusals.put("no secret issued", Enrollments.enroll(withoutSecret, wrong.secret(), keys));
        refusals.put("used secret", Enrollments.enroll(used.lockId(), used.secret(), keys));
        refusals.put("lock id not a UUID", Enrollments.enroll("front-door", wrong.secret(), keys));
        refusals.put("lock id not canonical", Enrollments.enroll(wrong.lockId().toString().replace("-", ""), wrong.secret(), keys));

        for (Map.Entry<String, Response> refusal : refusals.entrySet()) {
            Response response = refusal.getValue();
            String body = response.asString();
            assertEquals(401, response.statusCode(), refusal.getKey() + ": " + body);
            assertEquals("application/problem+json", response.contentType(), refusal.getKey());
            String instance = response.jsonPath().getString("instance");
            assertNotNull(instance, refusal.getKey());
            assertTrue(instance.startsWith("/v1/locks/") && instance.endsWith("/enrollment"), instance);
            assertEquals(REFUSED_BODY, body.replace("\"instance\":\"" + instance + "\"", "\"instance\":\"<instance>\""),
                    refusal.getKey() + " must be indistinguishable from every other refusal");
            Enrollments.assertNoInternals(body);
        }

        // Nothing written: no keys, no status change, no event; only wrong guesses are counted.
        for (UUID lockId : new UUID[] {wrong.lockId(), expired.lockId(), victim.lockId(), withoutSecret}) {
            RegistryFixtures.LockRow lock = fixtures.lock(lockId);
            assertEquals("PENDING_ENROLLMENT", lock.status());
            assertNull(lock.signingSpki());
            assertNull(lock.agreementSpki());
            assertEquals(0, lock.keyEpoch());
            assertNull(lock.enrolledAt());
        }
        assertEquals(outboxAfterSetUp, fixtures.count("outbox_event"), "a refusal writes no event");
        assertEquals(outboxBefore + 1, outboxAfterSetUp);
        assertEquals(1, fixtures.secret(wrong.lockId()).failedAttempts());
        assertEquals(1, fixtures.secret(victim.lockId()).failedAttempts());
        RegistryFixtures.SecretRow expiredSecret = fixtures.secret(expired.lockId());
        assertNull(expiredSecret.usedAt());
        assertEquals(0, expiredSecret.failedAttempts());
        assertNull(fixtures.secret(withoutSecret));
        assertEquals(0, fixtures.secret(other.lockId()).failedAttempts(), "another lock's secret is only wrong for the victim");
    }

    @Test
    void wrongGuessesBelowTheLimitLeaveTheSecretUsable() {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        TestKeys.LockPublicKeys keys = TestKeys.LockPublicKeys.generate();
        for (int i = 1; i < RegistryTestProfile.MAX_FAILED_ATTEMPTS; i++) {
            assertEquals(401, Enrollments.enroll(pending.lockId(), RegistryTestProfile.secret(), keys).statusCode());
            assertEquals(i, fixtures.secret(pending.lockId()).failedAttempts());
            assertNull(fixtures.secret(pending.lockId()).burnedAt());
        }
        assertEquals(200, Enrollments.enroll(pending.lockId(), pending.secret(), keys).statusCode());
        assertEquals("ENROLLED", fixtures.lock(pending.lockId()).status());
    }

    @Test
    void tooManyWrongGuessesBurnTheSecret() {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        TestKeys.LockPublicKeys keys = TestKeys.LockPublicKeys.generate();
        String firstRefusal = null;
        for (int i = 0; i < RegistryTestProfile.MAX_FAILED_ATTEMPTS; i++) {
            Response response = Enrollments.enroll(pending.lockId(), RegistryTestProfile.secret(), keys);
            assertEquals(401, response.statusCode());
            firstRefusal = firstRefusal == null ? response.asString() : firstRefusal;
            assertEquals(firstRefusal, response.asString(), "the burning guess looks like any other");
        }
        RegistryFixtures.SecretRow burned = fixtures.secret(pending.lockId());
        assertNotNull(burned.burnedAt(), "burned after " + RegistryTestProfile.MAX_FAILED_ATTEMPTS + " wrong guesses");
        assertEquals(RegistryTestProfile.MAX_FAILED_ATTEMPTS, burned.failedAttempts());

        Response right = Enrollments.enroll(pending.lockId(), pending.secret(), keys);
        assertEquals(401, right.statusCode(), "the right secret no longer works once burned");
        assertEquals(firstRefusal, right.asString());
        RegistryFixtures.LockRow lock = fixtures.lock(pending.lockId());
        assertEquals("PENDING_ENROLLMENT", lock.status());
        assertNull(lock.signingSpki());
        assertNull(fixtures.secret(pending.lockId()).usedAt());
        assertTrue(fixtures.outbox(pending.lockId()).isEmpty());
    }
}
