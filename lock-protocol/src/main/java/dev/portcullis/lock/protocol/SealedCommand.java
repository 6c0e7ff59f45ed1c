package dev.portcullis.lock.protocol;

import java.time.Instant;
import java.util.UUID;

/**
 * A command ready to send: the envelope bytes (portcullis.lock.v1.CommandEnvelope) and their SHA-256,
 * which the lock's acknowledgement must be bound to.
 */
public record SealedCommand(byte[] envelope, byte[] commandHash, UUID commandId, long counter, int keyEpoch, Instant expiresAt) {

    public SealedCommand {
        envelope = envelope.clone();
        commandHash = commandHash.clone();
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    @Override
    public byte[] commandHash() {
        return commandHash.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SealedCommand that && java.util.Arrays.equals(envelope, that.envelope);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(commandHash);
    }

    @Override
    public String toString() {
        return "SealedCommand[" + commandId + ", counter " + counter + ", epoch " + keyEpoch + ", expires " + expiresAt
                + ", " + envelope.length + " bytes]";
    }
}
