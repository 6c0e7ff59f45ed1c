package dev.portcullis.lock.protocol;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What the platform wants one lock to do. Times travel with millisecond precision.
 *
 * @param counter strictly greater than every counter used before for this lock and key epoch (starts at 1)
 */
public record CommandSpec(UUID commandId, LockCommandAction action, long counter, Instant issuedAt, Instant expiresAt,
        Attribution requester, CredentialSpec credential) {

    /** A command without a credential (unlock, lock). */
    public CommandSpec(UUID commandId, LockCommandAction action, long counter, Instant issuedAt, Instant expiresAt,
            Attribution requester) {
        this(commandId, action, counter, issuedAt, expiresAt, requester, null);
    }

    public CommandSpec {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(requester, "requester");
        if (action.isCredentialChange() != (credential != null)) {
            throw new IllegalArgumentException("a credential goes with CREDENTIAL_PUT and CREDENTIAL_REMOVE, and only there");
        }
        if (counter < 1) {
            throw new IllegalArgumentException("counters start at 1");
        }
        if (expiresAt.toEpochMilli() <= issuedAt.toEpochMilli()) {
            throw new IllegalArgumentException("a command must expire after it is issued");
        }
    }
}
