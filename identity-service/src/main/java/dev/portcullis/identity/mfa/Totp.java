package dev.portcullis.identity.mfa;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 6238 time-based one-time passwords (HOTP of RFC 4226 over 30-second steps) with the JDK's HMAC.
 * The service uses HMAC-SHA1 and 6 digits (what authenticator apps implement); the algorithm and the
 * digit count are parameters so the RFC's Appendix B vectors can be checked.
 */
public final class Totp {

    public static final long STEP_SECONDS = 30;
    public static final int DIGITS = 6;
    public static final String HMAC_SHA1 = "HmacSHA1";
    /** Accept the previous and the next step as well (clock drift of up to 30 s each way). */
    public static final int WINDOW = 1;

    private static final int[] POWERS = {1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000};

    private Totp() {
    }

    public static long step(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), STEP_SECONDS);
    }

    /** The code for one time step (RFC 4226 §5.3 dynamic truncation), zero-padded to {@code digits}. */
    public static String code(byte[] key, long step, int digits, String hmacAlgorithm) {
        try {
            Mac mac = Mac.getInstance(hmacAlgorithm);
            mac.init(new SecretKeySpec(key, hmacAlgorithm));
            byte[] hash = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
            int offset = hash[hash.length - 1] & 0x0f;
            int binary = ((hash[offset] & 0x7f) << 24) | ((hash[offset + 1] & 0xff) << 16) | ((hash[offset + 2] & 0xff) << 8)
                    | (hash[offset + 3] & 0xff);
            String otp = Integer.toString(binary % POWERS[digits]);
            return "0".repeat(digits - otp.length()) + otp;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(hmacAlgorithm + " is unavailable", e);
        }
    }

    public static String code(byte[] key, Instant at) {
        return code(key, step(at), DIGITS, HMAC_SHA1);
    }

    /**
     * Checks a submitted code against the steps around {@code at}. A step at or before
     * {@code lastAcceptedStep} is never accepted again, so every code is single-use.
     *
     * @return the accepted step (store it as the new last accepted step), or empty
     */
    public static OptionalLong verify(byte[] key, String submitted, Instant at, Long lastAcceptedStep) {
        if (submitted == null || submitted.length() != DIGITS || !submitted.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return OptionalLong.empty();
        }
        long now = step(at);
        long accepted = Long.MIN_VALUE;
        byte[] given = submitted.getBytes(StandardCharsets.US_ASCII);
        for (long step = now - WINDOW; step <= now + WINDOW; step++) {
            boolean matches = MessageDigest.isEqual(code(key, step, DIGITS, HMAC_SHA1).getBytes(StandardCharsets.US_ASCII), given);
            if (matches && (lastAcceptedStep == null || step > lastAcceptedStep) && accepted == Long.MIN_VALUE) {
                accepted = step;
            }
        }
        return accepted == Long.MIN_VALUE ? OptionalLong.empty() : OptionalLong.of(accepted);
    }
}
