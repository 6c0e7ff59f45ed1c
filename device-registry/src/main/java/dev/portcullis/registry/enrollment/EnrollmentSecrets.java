package dev.portcullis.registry.enrollment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Enrollment secrets are random values of at least 128 bits, so a plain SHA-256 is enough to store
 * them (there is nothing to brute-force that a slow KDF would protect); comparisons are constant-time.
 */
public final class EnrollmentSecrets {

    private EnrollmentSecrets() {
    }

    public static byte[] hash(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    /** Constant-time comparison of a stored hash with the hash of a presented secret. */
    public static boolean matches(byte[] storedHash, byte[] presentedHash) {
        return storedHash != null && presentedHash != null && MessageDigest.isEqual(storedHash, presentedHash);
    }
}
