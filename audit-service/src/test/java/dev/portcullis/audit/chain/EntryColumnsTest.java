package dev.portcullis.audit.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockEnrolled;
import dev.portcullis.proto.events.v1.LockEventReported;
import dev.portcullis.proto.events.v1.LockPresenceChanged;
import dev.portcullis.proto.events.v1.LoginFailed;
import dev.portcullis.proto.events.v1.PolicyChanged;
import dev.portcullis.proto.events.v1.UnlockDecided;
import dev.portcullis.proto.events.v1.UnlockFailed;
import dev.portcullis.proto.events.v1.UnlockRequested;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockEventType;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.Reason;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EntryColumnsTest {

    private static final String ORG = UUID.randomUUID().toString();

    private static EventEnvelope.Builder envelope() {
        return EventEnvelope.newBuilder()
                .setEventId(UUID.randomUUID().toString())
                .setOrganizationId(ORG)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(1_790_000_000L).setNanos(123_456_789))
                .setSource("command-service")
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_USER).setId("tenant-1").setOrganizationId(ORG));
    }

    @Test
    void unlockRequestedCarriesTheMethod() throws Exception {
        EventEnvelope event = envelope().setUnlockRequested(UnlockRequested.newBuilder()
                .setActionAttemptId("attempt-1").setDoorId("door-1").setMethod(AccessMethod.ACCESS_METHOD_APP)).build();
        EntryColumns columns = EntryColumns.derive(event.toByteArray());
        assertEquals(UUID.fromString(event.getEventId()), columns.eventId());
        assertEquals(UUID.fromString(ORG), columns.organizationId());
        assertEquals(Instant.parse("2026-09-21T14:13:20.123456Z"), columns.occurredAt(), "microsecond precision, like the database");
        assertEquals("unlock_requested", columns.eventType());
        assertEquals("user", columns.actorType());
        assertEquals("tenant-1", columns.actorId());
        assertEquals("app", columns.method());
        assertEquals("door-1", columns.doorId());
        assertNull(columns.lockId());
        assertEquals("attempt-1", columns.actionAttemptId());
        assertEquals("requested", columns.outcome());
        assertEquals(List.of(), columns.reasons());
    }

    @Test
    void decisionsBecomePermittedOrDeniedWithReasons() throws Exception {
        EntryColumns denied = EntryColumns.derive(envelope().setUnlockDecided(UnlockDecided.newBuilder()
                .setActionAttemptId("a").setDoorId("d").setDecision(Decision.DECISION_DENY)
                .addReasons(Reason.REASON_OUTSIDE_SCHEDULE)).build().toByteArray());
        assertEquals("denied", denied.outcome());
        assertEquals(List.of("outside_schedule"), denied.reasons());
        EntryColumns permitted = EntryColumns.derive(envelope().setUnlockDecided(UnlockDecided.newBuilder()
                .setActionAttemptId("a").setDoorId("d").setDecision(Decision.DECISION_PERMIT)
                .addReasons(Reason.REASON_GRANT_MATCHED)).build().toByteArray());
        assertEquals("permitted", permitted.outcome());
        assertEquals(List.of("grant_matched"), permitted.reasons());
    }

    @Test
    void failuresKeepTheirReason() throws Exception {
        EntryColumns failed = EntryColumns.derive(envelope().setUnlockFailed(UnlockFailed.newBuilder()
                .setActionAttemptId("a").setDoorId("d").setLockId("l").setReason("LOCK_OFFLINE")).build().toByteArray());
        assertEquals("failed", failed.outcome());
        assertEquals("l", failed.lockId());
        assertEquals(List.of("LOCK_OFFLINE"), failed.reasons());
    }

    @Test
    void lockEventsAreIndexedByLockDoorAndType() throws Exception {
        EntryColumns duress = EntryColumns.derive(envelope()
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_LOCK).setId("lock-7"))
                .setLockEventReported(LockEventReported.newBuilder().setLockId("lock-7").setDoorId("door-7")
                        .setEvent(LockEvent.newBuilder().setEventId("e1").setType(LockEventType.LOCK_EVENT_TYPE_DURESS)))
                .build().toByteArray());
        assertEquals("lock_event_reported", duress.eventType());
        assertEquals("lock", duress.actorType());
        assertEquals("lock-7", duress.lockId());
        assertEquals("door-7", duress.doorId());
        assertEquals("duress", duress.outcome());
        assertNull(duress.actionAttemptId());

        EntryColumns enrolled = EntryColumns.derive(envelope()
                .setLockEnrolled(LockEnrolled.newBuilder().setLockId("lock-8").setDoorId("door-8")).build().toByteArray());
        assertEquals("enrolled", enrolled.outcome());
        assertEquals("lock-8", enrolled.lockId());
    }

    @Test
    void presenceAndPolicyChangesAreIndexed() throws Exception {
        EntryColumns offline = EntryColumns.derive(envelope()
                .setLockPresenceChanged(LockPresenceChanged.newBuilder().setLockId("lock-9").setDoorId("door-9").setOnline(false))
                .build().toByteArray());
        assertEquals("lock_presence_changed", offline.eventType());
        assertEquals("lock-9", offline.lockId());
        assertEquals("door-9", offline.doorId());
        assertEquals("offline", offline.outcome());

        EntryColumns revoked = EntryColumns.derive(envelope()
                .setPolicyChanged(PolicyChanged.newBuilder().setEntityType("grant").setEntityId(UUID.randomUUID().toString())
                        .setOperation("deleted").setPolicyVersion(12))
                .build().toByteArray());
        assertEquals("policy_changed", revoked.eventType());
        assertEquals("deleted", revoked.outcome());
        assertEquals(List.of("grant"), revoked.reasons());
    }

    @Test
    void anEnvelopeWithAPayloadThisBuildDoesNotKnowIsStillRecorded() throws Exception {
        // Field 99 is unknown to this build: the envelope parses, with no payload case.
        byte[] known = envelope().clearActor().build().toByteArray();
        byte[] future = new byte[known.length + 3];
        System.arraycopy(known, 0, future, 0, known.length);
        future[known.length] = (byte) 0x9a; // field 99, wire type 2 (varint tag 0x9a 0x06)
        future[known.length + 1] = 0x06;
        future[known.length + 2] = 0x00; // empty bytes
        EntryColumns columns = EntryColumns.derive(future);
        assertEquals(EntryColumns.UNKNOWN_TYPE, columns.eventType());
        assertNull(columns.outcome());
        assertNull(columns.actorId());
    }

    @Test
    void recordsThatCannotBeEntriesAreRejected() {
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive((byte[]) null));
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive(new byte[0]));
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive("not protobuf at all".getBytes(StandardCharsets.UTF_8)));
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive(envelope().clearEventId().build().toByteArray()));
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive(envelope().setEventId("42").build().toByteArray()));
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive(envelope().setOrganizationId("acme").build().toByteArray()));
    }

    @Test
    void valuesPostgresCannotStoreOrIndexAreRejectedUpFront() {
        // Otherwise the write would fail on every retry and stall the partition.
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive(envelope().setUnlockFailed(UnlockFailed.newBuilder()
                .setDoorId("door\u0000").setReason("x")).build().toByteArray()));
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive(envelope().setLoginFailed(LoginFailed.newBuilder()
                .setReason("nul \u0000 inside")).build().toByteArray()));
        assertThrows(InvalidEventException.class, () -> EntryColumns.derive(envelope().setUnlockRequested(UnlockRequested.newBuilder()
                .setDoorId("d".repeat(EntryColumns.MAX_ID_LENGTH + 1))).build().toByteArray()));
    }

    @Test
    void storedColumnsAreComparedWithTheEnvelope() throws Exception {
        EventEnvelope event = envelope().setUnlockRequested(UnlockRequested.newBuilder().setDoorId("door-1")).build();
        EntryColumns derived = EntryColumns.derive(event.toByteArray());
        assertTrue(derived.sameAs(EntryColumns.derive(event.toByteArray())));
        EntryColumns otherOrganization = new EntryColumns(derived.eventId(), UUID.randomUUID(), derived.occurredAt(),
                derived.eventType(), derived.actorType(), derived.actorId(), derived.method(), derived.doorId(), derived.lockId(),
                derived.actionAttemptId(), derived.outcome(), derived.reasons());
        assertFalse(derived.sameAs(otherOrganization));
    }

    @Test
    void registryAndCredentialEventsAreIndexedByDoorLockAndCredential() throws Exception {
        EntryColumns used = EntryColumns.derive(envelope().setLockEventReported(LockEventReported.newBuilder().setLockId("l1")
                .setDoorId("d1").setEvent(LockEvent.newBuilder().setType(LockEventType.LOCK_EVENT_TYPE_DOOR_STATE)
                        .setCredentialId("cred-1"))).build().toByteArray());
        assertEquals(List.of("cred-1"), used.credentialIds());

        EntryColumns inventory = EntryColumns.derive(envelope().setLockCredentialsReported(
                dev.portcullis.proto.events.v1.LockCredentialsReported.newBuilder().setLockId("l1").setDoorId("d1")
                        .addCredentialIds("c1").addCredentialIds("c2").addCredentialIds("c1")).build().toByteArray());
        assertEquals("lock_credentials_reported", inventory.eventType());
        assertEquals("reported", inventory.outcome());
        assertEquals("l1", inventory.lockId());
        assertEquals(List.of("c1", "c2"), inventory.credentialIds(), "each id once");

        EntryColumns door = EntryColumns.derive(envelope().setDoorChanged(dev.portcullis.proto.events.v1.DoorChanged.newBuilder()
                .setDoorId("d1").setPropertyId("p1").setName("Front").setOperation("created")).build().toByteArray());
        assertEquals("door_changed", door.eventType());
        assertEquals("d1", door.doorId());
        assertEquals("created", door.outcome());
        assertEquals("p1", door.propertyId());

        EntryColumns issued = EntryColumns.derive(envelope().setCredentialIssued(dev.portcullis.proto.events.v1.CredentialIssued
                .newBuilder().setCredentialId("c1").setDoorId("d1").setLockId("l1").setCredentialType("PALM_VEIN")
                .setUsage("temporary")).build().toByteArray());
        assertEquals("credential_issued", issued.eventType());
        assertEquals("issued", issued.outcome());
        assertEquals("biometric", issued.method());
        assertEquals(List.of("temporary"), issued.reasons());
        assertEquals(List.of("c1"), issued.credentialIds());
        assertEquals("pin", EntryColumns.credentialMethod("PIN"));
        assertEquals("card", EntryColumns.credentialMethod("CARD"));
        assertNull(EntryColumns.credentialMethod("SOMETHING_NEW"));

        EntryColumns revoked = EntryColumns.derive(envelope().setCredentialStateChanged(
                dev.portcullis.proto.events.v1.CredentialStateChanged.newBuilder().setCredentialId("c1").setDoorId("d1").setLockId("l1")
                        .setState("revoked").setPreviousState("revoke_pending").setReason("tenant_turnover")).build().toByteArray());
        assertEquals("credential_state_changed", revoked.eventType());
        assertEquals("revoked", revoked.outcome());
        assertEquals(List.of("tenant_turnover"), revoked.reasons());
        assertEquals(List.of("c1"), revoked.credentialIds());

        EntryColumns drift = EntryColumns.derive(envelope().setCredentialDriftDetected(
                dev.portcullis.proto.events.v1.CredentialDriftDetected.newBuilder().setLockId("l1").setDoorId("d1")
                        .addUnexpectedCredentialIds("x").addMissingCredentialIds("c1").setContentDiffers(true)).build().toByteArray());
        assertEquals("credential_drift_detected", drift.eventType());
        assertEquals("drift", drift.outcome());
        assertEquals(List.of("content_differs"), drift.reasons());
        assertEquals(List.of("x", "c1"), drift.credentialIds());

        assertThrows(InvalidEventException.class, () -> EntryColumns.derive(envelope().setCredentialIssued(
                dev.portcullis.proto.events.v1.CredentialIssued.newBuilder().setCredentialId("c\u0000")).build().toByteArray()),
                "a credential id PostgreSQL cannot store is poison");
    }
}
