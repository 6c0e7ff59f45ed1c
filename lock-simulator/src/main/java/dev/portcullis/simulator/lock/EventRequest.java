package dev.portcullis.simulator.lock;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * {@code POST /v1/locks/{id}/events}: an event the lock reports up its gateway stream.
 *
 * @param type           DOOR_OPENED, DOOR_CLOSED, DOOR_AJAR, or a gateway LockEventType without its prefix:
 *                       WRONG_CODE, LOCKOUT, TAMPER, LOW_BATTERY, DOOR_STATE, DURESS, CREDENTIAL_SYNC_RESULT
 * @param doorState      for DOOR_STATE: OPEN, CLOSED or AJAR
 * @param batteryPercent 0..100, optional (LOW_BATTERY)
 * @param credentialId   optional (WRONG_CODE, DURESS, CREDENTIAL_SYNC_RESULT)
 * @param detail         optional machine-readable detail
 */
@RegisterForReflection
public record EventRequest(String type, String doorState, Integer batteryPercent, String credentialId, String detail) {
}
