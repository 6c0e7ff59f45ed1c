package dev.portcullis.lock.protocol;

import java.security.PublicKey;

/**
 * The gateway stream's lock authentication (docs/lock-protocol.md, "Gateway challenge"): the platform
 * sends a fresh random nonce; the lock signs
 * {@code LP("portcullis/gateway-challenge/v1") || LP(lock id) || LP(nonce)} with its enrolled Ed25519 key.
 * The domain string keeps these signatures from ever being valid as acknowledgements, and vice versa.
 */
public final class GatewayChallenge {

    /** A challenge nonce has at least 128 bits. */
    public static final int MIN_NONCE_BYTES = 16;
    public static final int MAX_NONCE_BYTES = 1024;

    private GatewayChallenge() {
    }

    /** The lock's answer to {@code nonce}. */
    public static byte[] sign(LockKeys keys, String lockId, byte[] nonce) {
        checkNonce(nonce);
        if (lockId == null || lockId.isEmpty()) {
            throw new IllegalArgumentException("lock id is required");
        }
        return keys.sign(signedBytes(lockId, nonce));
    }

    /** True only if {@code signature} is {@code lockSigningKey}'s signature of this lock id and nonce. */
    public static boolean verify(PublicKey lockSigningKey, String lockId, byte[] nonce, byte[] signature) {
        if (lockSigningKey == null || lockId == null || lockId.isEmpty() || nonce == null || nonce.length < MIN_NONCE_BYTES
                || nonce.length > MAX_NONCE_BYTES) {
            return false;
        }
        return KeyMaterial.verify(lockSigningKey, signedBytes(lockId, nonce), signature);
    }

    private static void checkNonce(byte[] nonce) {
        if (nonce == null || nonce.length < MIN_NONCE_BYTES || nonce.length > MAX_NONCE_BYTES) {
            throw new IllegalArgumentException("a challenge nonce has " + MIN_NONCE_BYTES + " to " + MAX_NONCE_BYTES + " bytes");
        }
    }

    private static byte[] signedBytes(String lockId, byte[] nonce) {
        return Encoding.lengthPrefixed(Encoding.utf8(Encoding.CHALLENGE_SIGNATURE_DOMAIN), Encoding.utf8(lockId), nonce);
    }
}
