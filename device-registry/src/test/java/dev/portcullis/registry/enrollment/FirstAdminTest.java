package dev.portcullis.registry.enrollment;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.TestKeys;
import dev.portcullis.registry.admin.Operators;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A registered lock gets its one-time secret through the API; whoever issued it is the lock's first admin. */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class FirstAdminTest {

    @Inject
    RegistryFixtures fixtures;

    @Test
    void theOperatorWhoIssuedTheSecretTheLockEnrolledWithIsItsFirstAdmin() throws Exception {
        Operators op = Operators.ofNewOrganization();
        UUID property = op.property("P");
        UUID door = op.create("/doors", Map.of("propertyId", property, "name", "Entry"));
        UUID model = op.lockModel("Acme", "Deadbolt", 10, 20);
        UUID lock = op.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "SN-" + UUID.randomUUID()));
        op.call().get("/locks/{id}", lock).then().body("adminSubjectId", equalTo(null));

        Operators installer = op.withRoles("operator");
        String first = installer.call().post("/locks/{id}/enrollment-secret", lock).then().statusCode(200)
                .body("status", equalTo("PENDING_ENROLLMENT")).extract().path("enrollmentSecret");
        // re-issuing replaces the secret: the first one no longer enrolls
        String secret = installer.call().post("/locks/{id}/enrollment-secret", lock).then().statusCode(200).extract().path("enrollmentSecret");
        assertNotEquals(first, secret);
        assertEquals(401, Enrollments.enroll(lock, first, TestKeys.LockPublicKeys.generate()).statusCode());
        assertEquals(200, Enrollments.enroll(lock, secret, TestKeys.LockPublicKeys.generate()).statusCode());

        String admin = (String) fixtures.scalar("select admin_subject_id from lock where id = ?", lock);
        op.call().get("/locks/{id}", lock).then().body("adminSubjectId", equalTo(admin));
        // Operators.withRoles signs as "person-<random>"; the registering operator is "operator-<org>"
        org.junit.jupiter.api.Assertions.assertTrue(admin.startsWith("person-"),
                "the installer who issued the secret, not whoever registered the lock: " + admin);
        EventEnvelope enrolled = EventEnvelope.parseFrom(fixtures.outbox(lock).stream().filter(r -> r.eventType().equals("lock_enrolled"))
                .findFirst().orElseThrow().payload());
        assertEquals(admin, enrolled.getLockEnrolled().getAdminSubjectId());

        // an enrolled lock gets a new secret only through a factory reset; other organizations and tenants get nothing
        op.call().post("/locks/{id}/enrollment-secret", lock).then().statusCode(409);
        Operators.ofNewOrganization().call().post("/locks/{id}/enrollment-secret", lock).then().statusCode(404);
        op.withRoles("tenant").call().post("/locks/{id}/enrollment-secret", lock).then().statusCode(403);
    }
}
