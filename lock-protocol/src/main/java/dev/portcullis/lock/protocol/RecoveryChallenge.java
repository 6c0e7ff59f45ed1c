package dev.portcullis.lock.protocol;

import java.security.PublicKey;

/**
 * Orphan recovery's proof of physical presence (docs/lock-protocol.md, "Orphan recovery"): the platform issues a
 * fresh random challenge to the organization claiming a lock; someone at the lock enters it through the lock's local
 * interface while the lock is in recovery mode (a physical button on the secured side); the lock shows its answer,
 * {@code Ed25519-Sign(lock signing key, LP("portcullis/orphan-recovery/v1") || LP(lock id) || LP(challenge))}.
 * The domain string keeps a gateway challenge answer or an acknowledgement from ever being a recovery proof (a party
 * that can make the lock connect to it can get gateway answers, never recovery answers).
 */
public final class RecoveryChallenge {

    static final String DOMAIN = "portcullis/orphan-recovery/v1";
    public static final int CHALLENGE_BYTES = 32;

    private RecoveryChallenge() {
    }

    /** The lock's answer to {@code challenge} (the lock computes it only in recovery mode). */
    public static byte[] sign(LockKeys keys, String lockId, byte[] challenge) {
        if (challenge == null || challenge.length != CHALLENGE_BYTES) {
            throw new IllegalArgumentException("a recovery challenge has " + CHALLENGE_BYTES + " bytes");
        }
        if (lockId == null || lockId.isEmpty()) {
            throw new IllegalArgumentException("lock id is required");
        }
        return keys.sign(signedBytes(lockId, challenge));
    }

    /** True only if {@code signature} is {@code lockSigningKey}'s recovery answer for this lock id and challenge. */
    public static boolean verify(PublicKey lockSigningKey, String lockId, byte[] challenge, byte[] signature) {
        if (lockSigningKey == null || lockId == null || lockId.isEmpty() || challenge == null || challenge.length != CHALLENGE_BYTES) {
            return false;
        }
        return KeyMaterial.verify(lockSigningKey, signedBytes(lockId, challenge), signature);
    }

    private static byte[] signedBytes(String lockId, byte[] challenge) {
        return Encoding.lengthPrefixed(Encoding.utf8(DOMAIN), Encoding.utf8(lockId), challenge);
    }
}
