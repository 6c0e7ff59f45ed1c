package dev.portcullis.lock.protocol;

import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * A lock's verified acknowledgement of one command (platform side), from {@link AckVerifier}.
 *
 * @param outcome             EXECUTED, or REFUSED with a {@code reason}
 * @param reason              why the lock refused; null when EXECUTED
 * @param commandId           the command's id; for REFUSED it is what the received header claimed, and
 *                            null if the lock could not parse it
 * @param counter             the command's counter (as claimed, for REFUSED; 0 if unparseable)
 * @param lockTime            when the lock signed this, on the lock's clock
 * @param commandHash         SHA-256 of the envelope the lock received (equal to the expected hash)
 * @param keyEpoch            the lock's key epoch
 * @param lastAcceptedCounter the highest counter the lock had accepted in its epoch when it signed
 * @param credentialSetDigest the lock's credential set digest after an executed command (empty if none was sent)
 */
public record Acknowledgement(Outcome outcome, RejectionReason reason, UUID commandId, long counter, Instant lockTime,
        byte[] commandHash, int keyEpoch, long lastAcceptedCounter, byte[] credentialSetDigest) {

    public enum Outcome { EXECUTED, REFUSED }

    public Acknowledgement {
        commandHash = commandHash.clone();
        credentialSetDigest = credentialSetDigest == null ? new byte[0] : credentialSetDigest.clone();
    }

    /** The lock's credential set digest after an executed command; empty when the lock sent none. */
    @Override
    public byte[] credentialSetDigest() {
        return credentialSetDigest.clone();
    }

    @Override
    public byte[] commandHash() {
        return commandHash.clone();
    }

    public boolean executed() {
        return outcome == Outcome.EXECUTED;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Acknowledgement that && outcome == that.outcome && reason == that.reason
                && java.util.Objects.equals(commandId, that.commandId) && counter == that.counter
                && lockTime.equals(that.lockTime) && Arrays.equals(commandHash, that.commandHash)
                && keyEpoch == that.keyEpoch && lastAcceptedCounter == that.lastAcceptedCounter;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(commandHash) * 31 + outcome.hashCode();
    }

    @Override
    public String toString() {
        return "Acknowledgement[" + outcome + (reason == null ? "" : " " + reason) + ", command " + commandId + ", counter "
                + counter + ", lock time " + lockTime + "]";
    }
}
