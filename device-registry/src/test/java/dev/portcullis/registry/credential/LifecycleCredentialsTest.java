package dev.portcullis.registry.credential;

import static dev.portcullis.registry.credential.CredentialLifecycleTest.WAIT;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.awaitState;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.issued;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.online;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.report;
import static dev.portcullis.registry.credential.CredentialLifecycleTest.state;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.registry.Enrollments;
import dev.portcullis.registry.RegistryFixtures;
import dev.portcullis.registry.RegistryTestProfile;
import dev.portcullis.registry.TestKeys;
import dev.portcullis.registry.admin.Operators;
import dev.portcullis.registry.credential.CredentialLifecycleTest.Door;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Credentials through the lock lifecycle: a replacement lock receives the door's credentials once it
 * enrolls; an ownership transfer revokes the giver's credentials, confirmed by the same physical lock
 * under its new owner.
 */
@QuarkusTest
@TestProfile(RegistryTestProfile.class)
class LifecycleCredentialsTest {

    @Inject
    RegistryFixtures fixtures;

    Door enrolled(Operators op) {
        UUID property = op.property("Property " + UUID.randomUUID());
        UUID model = op.lockModel("Acme", "Deadbolt " + UUID.randomUUID().toString().substring(0, 6), 100, 200);
        UUID door = op.create("/doors", Map.of("propertyId", property, "name", "Entry"));
        UUID lock = op.create("/locks", Map.of("doorId", door, "lockModelId", model, "serialNumber", "SN-" + UUID.randomUUID()));
        assertEquals(200, Enrollments.enroll(lock, fixtures.issueSecret(lock), TestKeys.LockPublicKeys.generate()).statusCode());
        return new Door(op, property, door, lock, TestLockGateway.fit(door, new TestLockGateway.Lock()));
    }

    static boolean opens(TestLockGateway.Lock lock, String pin) {
        return lock.credentials.present(CredentialSpec.Kind.PIN, pin.getBytes(StandardCharsets.US_ASCII), Instant.now()).opens();
    }

    @Test
    void aReplacementLockReceivesTheDoorsCredentialsOnceItEnrolls() {
        Operators op = Operators.ofNewOrganization();
        Door d = enrolled(op);
        UUID kept = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "318642", "holderSubjectId", "tenant-a"));
        UUID revoking = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "318643", "holderSubjectId", "tenant-b"));
        awaitState(d, kept, "active");
        awaitState(d, revoking, "active");
        d.device().online = false;
        op.call().post("/credentials/" + revoking + "/revoke").then().statusCode(200);

        String successor = op.call().body(Map.of("serialNumber", "SN-NEW-" + UUID.randomUUID())).post("/locks/{id}/replacement", d.lock())
                .then().statusCode(201).extract().path("lockId");
        // the door now has a new, empty lock (still to enroll: nothing reaches it yet)
        TestLockGateway.Lock fitted = TestLockGateway.fit(d.door(), new TestLockGateway.Lock());
        fitted.online = false;
        op.call().get("/credentials/" + kept).then().statusCode(200)
                .body("lockId", org.hamcrest.Matchers.equalTo(successor)).body("state", org.hamcrest.Matchers.equalTo("sync_pending"))
                .body("stateReason", org.hamcrest.Matchers.equalTo("moved_to_replacement"));
        op.call().get("/credentials/" + revoking).then().body("state", org.hamcrest.Matchers.equalTo("revoked"))
                .body("stateReason", org.hamcrest.Matchers.equalTo("lock_retired"));

        assertEquals(200, Enrollments.enroll(successor, fixtures.issueSecret(UUID.fromString(successor)),
                TestKeys.LockPublicKeys.generate()).statusCode());
        online(new Door(op, d.property(), d.door(), UUID.fromString(successor), fitted));
        awaitState(d, kept, "active");
        assertTrue(opens(fitted, "318642"), "the successor holds the door's credential");
        assertFalse(opens(fitted, "318643"), "not the revoked one");
    }

    @Test
    void aReplacementWhoseModelCannotHoldTheDoorsCredentialsIsRefusedAndNothingChanges() {
        Operators op = Operators.ofNewOrganization();
        Door d = enrolled(op);
        issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "418642", "holderSubjectId", "tenant-a"));
        issued(d, Map.of("type", "CARD", "usage", "permanent", "cardUid", "04aa", "holderSubjectId", "tenant-b"));
        UUID small = op.lockModel("Acme", "Mini " + UUID.randomUUID().toString().substring(0, 6), 1, 5);
        op.call().body(Map.of("serialNumber", "SN-SMALL-" + UUID.randomUUID(), "lockModelId", small)).post("/locks/{id}/replacement", d.lock())
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("capacity-exceeded"))
                .body("detail", org.hamcrest.Matchers.containsString("at most 5 credentials of 1 users"));
        UUID pinOnly = op.create("/lock-models", Map.of("manufacturer", "Acme", "model", "Keypad " + UUID.randomUUID().toString().substring(0, 6),
                "credentialTypes", java.util.List.of("PIN"), "maxUsers", 50, "maxCredentials", 100));
        op.call().body(Map.of("serialNumber", "SN-PIN-" + UUID.randomUUID(), "lockModelId", pinOnly)).post("/locks/{id}/replacement", d.lock())
                .then().statusCode(409).body("type", org.hamcrest.Matchers.endsWith("unsupported-credential-type"))
                .body("detail", org.hamcrest.Matchers.containsString("CARD"));
        op.call().get("/locks/{id}", d.lock()).then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("ENROLLED"));
        op.call().get("/doors/{id}", d.door()).then().body("lockId", org.hamcrest.Matchers.equalTo(d.lock().toString()));
    }

    @Test
    void aTransferRevokesTheGiversCredentialsConfirmedByTheLockUnderItsNewOwner() {
        Operators giver = Operators.ofNewOrganization();
        Operators receiver = Operators.ofNewOrganization();
        Door d = enrolled(giver);
        UUID pin = issued(d, Map.of("type", "PIN", "usage", "permanent", "pin", "528461", "holderSubjectId", "tenant-a"));
        awaitState(d, pin, "active");
        TestLockGateway.Lock physical = d.device();

        UUID receiverProperty = receiver.property("New owner's building");
        UUID receiverDoor = receiver.create("/doors", Map.of("propertyId", receiverProperty, "name", "Gate"));
        String transfer = giver.call().body(Map.of("toOrganizationId", receiver.org(),
                        "expiresAt", LocalDate.now(ZoneOffset.UTC).plusDays(2).atStartOfDay().atOffset(ZoneOffset.UTC).toString()))
                .post("/locks/{id}/transfers", d.lock()).then().statusCode(201).extract().path("id");
        assertEquals("active", state(d, pin), "nothing changes before acceptance");
        String received = receiver.call().body(Map.of("doorId", receiverDoor)).post("/lock-transfers/{id}/acceptance", transfer)
                .then().statusCode(200).extract().path("lockId");
        assertEquals("revoke_pending", state(d, pin), "the giver's PIN is revoked, pending the lock's confirmation");
        giver.call().get("/credentials/" + pin).then().body("revokeReason", org.hamcrest.Matchers.equalTo("ownership_transfer"));
        assertTrue(opens(physical, "528461"), "the physical lock still holds it");

        // the same physical lock now hangs on the receiver's door, enrolls anew and reports what it holds
        TestLockGateway.fit(receiverDoor, physical);
        assertEquals(200, Enrollments.enroll(received, fixtures.issueSecret(UUID.fromString(received)),
                TestKeys.LockPublicKeys.generate()).statusCode());
        report(new Door(receiver, receiverProperty, receiverDoor, UUID.fromString(received), physical));
        await().atMost(WAIT).untilAsserted(() -> assertEquals("revoked", state(d, pin)));
        assertFalse(opens(physical, "528461"), "removed from the lock by the new owner's reconciliation");
        receiver.call().get("/credentials/" + pin).then().statusCode(404);
    }
}
