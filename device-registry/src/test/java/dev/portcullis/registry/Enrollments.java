package dev.portcullis.registry;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/** Real HTTP calls to {@code POST /v1/locks/{lockId}/enrollment}, shaped like the lock simulator's. */
public final class Enrollments {

    public static final String FIRMWARE = "sim-1.4.2";

    private Enrollments() {
    }

    /** The simulator's request body: {@code {enrollmentSecret, signingKey, agreementKey, firmwareVersion}}. */
    public static Map<String, Object> body(String secret, TestKeys.LockPublicKeys keys) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("enrollmentSecret", secret);
        body.put("signingKey", keys.signingBase64());
        body.put("agreementKey", keys.agreementBase64());
        body.put("firmwareVersion", FIRMWARE);
        return body;
    }

    public static Response enroll(Object lockId, String secret, TestKeys.LockPublicKeys keys) {
        return post(lockId, body(secret, keys));
    }

    public static Response post(Object lockId, Object body) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).body(body)
                .when().post("/v1/locks/{lockId}/enrollment", lockId.toString())
                .andReturn();
    }

    public static Response postRaw(Object lockId, String body) {
        return given().contentType(ContentType.JSON).accept(ContentType.JSON).body(body)
                .when().post("/v1/locks/{lockId}/enrollment", lockId.toString())
                .andReturn();
    }

    /** Error bodies never carry a stack trace, exception class or source position. */
    public static void assertNoInternals(String body) {
        for (String leak : new String[] {"Exception", "\tat ", ".java:", "at dev.portcullis", "at io.", "Caused by"}) {
            assertFalse(body.contains(leak), () -> "error body leaks internals (" + leak + "): " + body);
        }
    }
}
