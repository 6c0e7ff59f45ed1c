package dev.portcullis.policy.engine;

import java.time.Instant;

/**
 * What policy last heard about the lock on a door (from lock events). Gates only act on what is known:
 * a door nobody has heard from yet has {@link #UNKNOWN}, which opens no gate; command-service still
 * refuses to dispatch to a lock that is not connected.
 *
 * @param tamperedAt    when the lock reported tamper; the gate stays closed until an operator clears it (null: not tampered)
 * @param lockedOutUntil the lock's own keypad lockout ends then (null or past: not locked out)
 * @param online        null: unknown; false: known offline since {@code presenceAt}
 */
public record DeviceState(Instant tamperedAt, Instant lockedOutUntil, Boolean online, Instant presenceAt) {

    public static final DeviceState UNKNOWN = new DeviceState(null, null, null, null);
}
