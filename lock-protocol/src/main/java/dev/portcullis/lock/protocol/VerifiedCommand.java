package dev.portcullis.lock.protocol;

import java.time.Instant;
import java.util.UUID;

/**
 * A command that passed every check of a {@link LockVerifier}, whose counter has been recorded. Only a
 * verifier creates one, so only a verified command can be acknowledged as EXECUTED.
 */
public final class VerifiedCommand {

    private final UUID commandId;
    private final LockCommandAction action;
    private final long counter;
    private final int keyEpoch;
    private final Instant issuedAt;
    private final Instant expiresAt;
    private final Attribution requester;
    private final String platformSigningKeyId;
    private final byte[] commandHash;
    private final CredentialSpec credential;
    private final UUID credentialId;

    VerifiedCommand(UUID commandId, LockCommandAction action, long counter, int keyEpoch, Instant issuedAt, Instant expiresAt,
            Attribution requester, String platformSigningKeyId, byte[] commandHash, CredentialSpec credential, UUID credentialId) {
        this.credential = credential;
        this.credentialId = credentialId;
        this.commandId = commandId;
        this.action = action;
        this.counter = counter;
        this.keyEpoch = keyEpoch;
        this.issuedAt = issuedAt;
        this.expiresAt = expiresAt;
        this.requester = requester;
        this.platformSigningKeyId = platformSigningKeyId;
        this.commandHash = commandHash.clone();
    }

    public UUID commandId() {
        return commandId;
    }

    public LockCommandAction action() {
        return action;
    }

    public long counter() {
        return counter;
    }

    public int keyEpoch() {
        return keyEpoch;
    }

    public Instant issuedAt() {
        return issuedAt;
    }

    public Instant expiresAt() {
        return expiresAt;
    }

    public Attribution requester() {
        return requester;
    }

    /** The credential a CREDENTIAL_PUT carries; null otherwise. */
    public CredentialSpec credential() {
        return credential;
    }

    /** The credential a CREDENTIAL_PUT or CREDENTIAL_REMOVE is about; null otherwise. */
    public UUID credentialId() {
        return credentialId;
    }

    /** Which platform key signed it. */
    public String platformSigningKeyId() {
        return platformSigningKeyId;
    }

    /** SHA-256 of the exact envelope bytes received. */
    public byte[] commandHash() {
        return commandHash.clone();
    }

    @Override
    public String toString() {
        return "VerifiedCommand[" + commandId + ", " + action + ", counter " + counter + ", epoch " + keyEpoch + "]";
    }
}
