package dev.portcullis.lock.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * The per-lock command key and the GCM nonce (docs/lock-protocol.md, "Key agreement" and "Nonce").
 *
 * <pre>
 * ikm  = X25519(platform agreement key, lock agreement key)              RFC 7748
 * salt = "portcullis/lock-command-key/v1"                                (UTF-8)
 * info = LP(lock id) || LP(platform agreement key id) || LP(lock agreement key id) || uint32_be(key epoch)
 * key  = HKDF-SHA256(salt, ikm, info, L = 32)                            RFC 5869 → AES-256-GCM key
 * nonce = uint32_be(key epoch) || uint64_be(counter)                     NIST SP 800-38D §8.2.1
 * </pre>
 */
public final class CommandKey {

    /** HKDF salt: fixed and public, it separates this use of the shared secret from any other. */
    public static final String SALT = "portcullis/lock-command-key/v1";
    public static final int KEY_BYTES = 32;

    private CommandKey() {
    }

    /**
     * Derives the AES-256-GCM command key from the raw X25519 shared secret. The same on both sides:
     * the platform agrees with the lock's public key, the lock with the platform's.
     */
    public static byte[] derive(byte[] sharedSecret, String lockId, String platformAgreementKeyId, String lockAgreementKeyId,
            int keyEpoch) {
        if (sharedSecret == null || sharedSecret.length != 32) {
            throw new IllegalArgumentException("an X25519 shared secret is 32 bytes");
        }
        byte[] info = info(lockId, platformAgreementKeyId, lockAgreementKeyId, keyEpoch);
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sharedSecret, Encoding.utf8(SALT), info));
        byte[] key = new byte[KEY_BYTES];
        hkdf.generateBytes(key, 0, KEY_BYTES);
        return key;
    }

    /** HKDF info: binds the key to one lock, both agreement keys and one key epoch. */
    static byte[] info(String lockId, String platformAgreementKeyId, String lockAgreementKeyId, int keyEpoch) {
        byte[] prefixed = Encoding.lengthPrefixed(Encoding.utf8(lockId), Encoding.utf8(platformAgreementKeyId),
                Encoding.utf8(lockAgreementKeyId));
        byte[] info = Arrays.copyOf(prefixed, prefixed.length + 4);
        ByteBuffer.wrap(info, prefixed.length, 4).putInt(keyEpoch);
        return info;
    }

    /**
     * The 96-bit GCM nonce of a command: deterministic, and unique per key because the key is unique
     * per (lock, platform key, lock key, epoch) and the platform never reuses a counter within an epoch.
     */
    public static byte[] nonce(int keyEpoch, long counter) {
        return ByteBuffer.allocate(Encoding.NONCE_BYTES).putInt(keyEpoch).putLong(counter).array();
    }
}
