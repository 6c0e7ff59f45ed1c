package dev.portcullis.registry.enrollment;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.TestKeys;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Malformed enrollments are refused with problem+json before anything is looked up or written: keys
 * that are not an Ed25519 + X25519 pair in canonical SubjectPublicKeyInfo, missing fields, bodies that
 * are not the JSON object, and oversized bodies. Each case carries the lock's right secret, so a
 * missing check would enroll the lock.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class EnrollmentValidationTest {

    @Inject
    RegistryFixtures fixtures;

    @Test
    void malformedKeysAreRefusedWith400AndNothingIsWritten() {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        TestKeys.LockPublicKeys good = TestKeys.LockPublicKeys.generate();
        byte[] garbage = new byte[44];
        new SecureRandom().nextBytes(garbage);
        byte[] ed25519 = good.signing().getEncoded();
        byte[] trailing = Arrays.copyOf(ed25519, ed25519.length + 1);

        Map<String, Map<String, Object>> cases = new LinkedHashMap<>();
        cases.put("signing key not base64", with(pending, good, "signingKey", "%%%not*base64%%%"));
        cases.put("agreement key not base64", with(pending, good, "agreementKey", "MCowBQYDK2VuAyEA!!"));
        cases.put("signing key EC P-256", with(pending, good, "signingKey", TestKeys.base64(TestKeys.p256())));
        cases.put("agreement key EC P-256", with(pending, good, "agreementKey", TestKeys.base64(TestKeys.p256())));
        cases.put("signing key RSA", with(pending, good, "signingKey", TestKeys.base64(TestKeys.rsa2048())));
        cases.put("signing key is X25519", with(pending, good, "signingKey", good.agreementBase64()));
        cases.put("agreement key is Ed25519", with(pending, good, "agreementKey", good.signingBase64()));
        cases.put("signing key Ed448", with(pending, good, "signingKey", TestKeys.base64(TestKeys.generate("Ed448"))));
        cases.put("agreement key X448", with(pending, good, "agreementKey", TestKeys.base64(TestKeys.generate("X448"))));
        cases.put("signing key garbage DER", with(pending, good, "signingKey", Base64.getEncoder().encodeToString(garbage)));
        cases.put("agreement key garbage DER", with(pending, good, "agreementKey", Base64.getEncoder().encodeToString(garbage)));
        cases.put("signing key with trailing byte", with(pending, good, "signingKey", Base64.getEncoder().encodeToString(trailing)));
        cases.put("signing key raw 32 bytes", with(pending, good, "signingKey",
                Base64.getEncoder().encodeToString(Arrays.copyOfRange(ed25519, ed25519.length - 32, ed25519.length))));
        cases.put("signing key missing", with(pending, good, "signingKey", null));
        cases.put("agreement key missing", with(pending, good, "agreementKey", null));
        cases.put("signing key empty", with(pending, good, "signingKey", ""));
        cases.put("signing key a number", with(pending, good, "signingKey", 12345));
        cases.put("enrollment secret missing", with(pending, good, "enrollmentSecret", null));
        cases.put("enrollment secret empty", with(pending, good, "enrollmentSecret", ""));
        cases.put("enrollment secret absurdly long", with(pending, good, "enrollmentSecret", "a".repeat(1000)));
        cases.put("firmware version with a shell", with(pending, good, "firmwareVersion", "1.0; rm -rf /"));
        cases.put("firmware version too long", with(pending, good, "firmwareVersion", "1".repeat(65)));

        for (Map.Entry<String, Map<String, Object>> entry : cases.entrySet()) {
            Response response = Enrollments.post(pending.lockId(), entry.getValue());
            assertBadRequest(entry.getKey(), response);
        }
        assertNothingWritten(pending);
    }

    @Test
    void bodiesThatAreNotTheRequestObjectAreRefusedWith400() {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("empty body", "");
        cases.put("JSON null", "null");
        cases.put("empty object", "{}");
        cases.put("array", "[]");
        cases.put("string", "\"enroll me\"");
        cases.put("not JSON", "enrollmentSecret=" + pending.secret());
        cases.put("truncated JSON", "{\"enrollmentSecret\": \"" + pending.secret() + "\", \"signingKey\": ");
        for (Map.Entry<String, String> entry : cases.entrySet()) {
            assertBadRequest(entry.getKey(), Enrollments.postRaw(pending.lockId(), entry.getValue()));
        }
        // Also for a lock that does not exist: malformed is malformed, before any look-up.
        assertBadRequest("empty object, unknown lock", Enrollments.postRaw(java.util.UUID.randomUUID(), "{}"));
        assertNothingWritten(pending);
    }

    @Test
    void oversizedBodiesAreRefusedWithoutBeingRead() {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        TestKeys.LockPublicKeys good = TestKeys.LockPublicKeys.generate();
        // A valid request padded past the endpoint's limit: the right secret and good keys do not help.
        Map<String, Object> padded = Enrollments.body(pending.secret(), good);
        padded.put("padding", "x".repeat(16 * 1024));
        Response response = Enrollments.post(pending.lockId(), padded);
        assertEquals(413, response.statusCode(), response.asString());
        assertEquals("application/problem+json", response.contentType());
        assertEquals("https://portcullis.dev/problems/request-too-large", response.jsonPath().getString("type"));
        Enrollments.assertNoInternals(response.asString());

        // Far beyond the server's own limit the connection is cut short, still without internals.
        Map<String, Object> huge = Enrollments.body(pending.secret(), good);
        huge.put("padding", "x".repeat(256 * 1024));
        Response cut = Enrollments.post(pending.lockId(), huge);
        assertEquals(413, cut.statusCode());
        Enrollments.assertNoInternals(cut.asString());
        assertNothingWritten(pending);
    }

    @Test
    void aBodyThatIsNotJsonIsUnsupported() {
        RegistryFixtures.PendingLock pending = fixtures.pendingLock();
        Response response = given().contentType(ContentType.TEXT).body("secret")
                .when().post("/v1/locks/{lockId}/enrollment", pending.lockId().toString()).andReturn();
        assertEquals(415, response.statusCode());
        assertEquals("application/problem+json", response.contentType());
        Enrollments.assertNoInternals(response.asString());
        assertNothingWritten(pending);
    }

    private static Map<String, Object> with(RegistryFixtures.PendingLock pending, TestKeys.LockPublicKeys keys, String field,
            Object value) {
        Map<String, Object> body = Enrollments.body(pending.secret(), keys);
        if (value == null) {
            body.remove(field);
        } else {
            body.put(field, value);
        }
        return body;
    }

    private static void assertBadRequest(String what, Response response) {
        String body = response.asString();
        assertEquals(400, response.statusCode(), what + ": " + body);
        assertEquals("application/problem+json", response.contentType(), what);
        assertEquals(400, response.jsonPath().getInt("status"), what);
        assertTrue(response.jsonPath().getString("type").startsWith("https://portcullis.dev/problems/"), what);
        assertTrue(response.jsonPath().getString("detail").length() > 0, what);
        Enrollments.assertNoInternals(body);
    }

    private void assertNothingWritten(RegistryFixtures.PendingLock pending) {
        RegistryFixtures.LockRow lock = fixtures.lock(pending.lockId());
        assertEquals("PENDING_ENROLLMENT", lock.status());
        assertNull(lock.signingSpki());
        assertNull(lock.agreementSpki());
        assertEquals(0, lock.keyEpoch());
        RegistryFixtures.SecretRow secret = fixtures.secret(pending.lockId());
        assertNull(secret.usedAt());
        assertNull(secret.burnedAt());
        assertEquals(0, secret.failedAttempts(), "a malformed request is not a guess");
        assertTrue(fixtures.outbox(pending.lockId()).isEmpty());
        // The right request still works afterwards: nothing above consumed or damaged the secret.
        assertEquals(200, Enrollments.enroll(pending.lockId(), pending.secret(), TestKeys.LockPublicKeys.generate()).statusCode());
    }
}
