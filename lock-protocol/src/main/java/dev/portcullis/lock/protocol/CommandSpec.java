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
        Attribution requester) {

    public CommandSpec {
        Objects.requireNonNull(commandId, "commandId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(issuedAt, "issuedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(requester, "requester");
        if (counter < 1) {
            throw new IllegalArgumentException("counters start at 1");
        }
        if (expiresAt.toEpochMilli() <= issuedAt.toEpochMilli()) {
            throw new IllegalArgumentException("a command must expire after it is issued");
        }
    }
}
