package dev.portcullis.lock.protocol;

import java.security.PublicKey;
import java.util.Objects;

/**
 * What the platform knows about one enrolled lock (from the device registry): its id, its Ed25519
 * signing key (verifies acknowledgements and gateway challenges), its X25519 agreement key (command
 * key) and the key epoch of that enrolment.
 */
public record LockIdentity(String lockId, PublicKey signingKey, PublicKey agreementKey, int keyEpoch) {

    public LockIdentity {
        if (lockId == null || lockId.isBlank()) {
            throw new IllegalArgumentException("lock id is required");
        }
        if (!PublicKeys.isEd25519(signingKey)) {
            throw new IllegalArgumentException("lock signing key must be Ed25519");
        }
        if (!PublicKeys.isX25519(agreementKey)) {
            throw new IllegalArgumentException("lock agreement key must be X25519");
        }
        if (keyEpoch < 0) {
            throw new IllegalArgumentException("key epoch must not be negative");
        }
    }

    public String signingKeyId() {
        return KeyIds.of(signingKey);
    }

    public String agreementKeyId() {
        return KeyIds.of(agreementKey);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LockIdentity that && lockId.equals(that.lockId) && keyEpoch == that.keyEpoch
                && signingKeyId().equals(that.signingKeyId()) && agreementKeyId().equals(that.agreementKeyId());
    }

    @Override
    public int hashCode() {
        return Objects.hash(lockId, keyEpoch, signingKeyId());
    }

    @Override
    public String toString() {
        return "LockIdentity[" + lockId + ", epoch " + keyEpoch + ", signing " + signingKeyId() + ", agreement " + agreementKeyId() + "]";
    }
}
