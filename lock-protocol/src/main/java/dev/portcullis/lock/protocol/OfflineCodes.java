package dev.portcullis.lock.protocol;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-bound codes a lock checks without any connectivity (docs/lock-protocol.md, "Offline codes"). The
 * platform and the lock share a per-lock offline secret (32 random bytes, sent to the lock once inside an
 * encrypted command). A code opens during one window: a start on a whole UTC hour and one of a fixed set
 * of durations.
 *
 * <pre>
 * mac  = HMAC-SHA256(secret, LP("portcullis/offline-code/v1") || LP(lock id) || int64_be(start hour) || uint32_be(hours))
 * code = (first 8 bytes of mac as unsigned big-endian) mod 10^10, as 10 decimal digits
 * </pre>
 * where {@code start hour} counts whole hours since the Unix epoch. The lock, at time t, tries every
 * window that contains t (each duration × each whole-hour start in (t − duration, t]): at most 327
 * HMACs. A random guess matches one of them with probability ≤ 327 / 10^10 (3.3·10^-8); locks must also
 * lock out after a few wrong codes. A code may be used any number of times within its window.
 */
public final class OfflineCodes {

    /** The durations a code can have. */
    public static final List<Duration> DURATIONS = List.of(Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(4),
            Duration.ofHours(8), Duration.ofHours(24), Duration.ofHours(48), Duration.ofHours(72), Duration.ofHours(168));

    private static final String DOMAIN = "portcullis/offline-code/v1";
    private static final long MODULUS = 10_000_000_000L;
    public static final int SECRET_BYTES = 32;

    private OfflineCodes() {
    }

    /** The window a code opens in. */
    public record Window(Instant start, Instant end) {
    }

    /** The code for the window starting at {@code start} (a whole UTC hour) lasting {@code duration} (one of {@link #DURATIONS}). */
    public static String code(byte[] secret, String lockId, Instant start, Duration duration) {
        if (!start.truncatedTo(ChronoUnit.HOURS).equals(start)) {
            throw new IllegalArgumentException("a window starts on a whole hour (UTC)");
        }
        if (!DURATIONS.contains(duration)) {
            throw new IllegalArgumentException("a window lasts one of " + DURATIONS);
        }
        return digits(mac(secret, lockId, start.getEpochSecond() / 3600, (int) duration.toHours()));
    }

    /** The window {@code code} opens at {@code now} (lock clock), if it is a valid code for this lock now. */
    public static Optional<Window> check(byte[] secret, String lockId, String code, Instant now) {
        if (code == null || !code.matches("[0-9]{10}")) {
            return Optional.empty();
        }
        byte[] presented = Encoding.utf8(code);
        long hourNow = Math.floorDiv(now.getEpochSecond(), 3600);
        Optional<Window> found = Optional.empty();
        for (Duration duration : DURATIONS) {
            int hours = (int) duration.toHours();
            for (long start = hourNow - hours + 1; start <= hourNow; start++) {
                // every candidate is computed and compared (no early exit on a match): timing says nothing
                boolean match = MessageDigest.isEqual(Encoding.utf8(digits(mac(secret, lockId, start, hours))), presented);
                if (match && found.isEmpty()) {
                    found = Optional.of(new Window(Instant.ofEpochSecond(start * 3600), Instant.ofEpochSecond((start + hours) * 3600)));
                }
            }
        }
        return found;
    }

    private static byte[] mac(byte[] secret, String lockId, long startHour, int hours) {
        if (secret == null || secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("the offline secret is " + SECRET_BYTES + " bytes");
        }
        byte[] window = ByteBuffer.allocate(12).putLong(startHour).putInt(hours).array();
        byte[] message = Encoding.lengthPrefixed(Encoding.utf8(DOMAIN), Encoding.utf8(lockId));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(message);
            mac.update(window);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required", e);
        }
    }

    private static String digits(byte[] mac) {
        long value = ByteBuffer.wrap(mac, 0, 8).getLong();
        return String.format("%010d", Long.remainderUnsigned(value, MODULUS));
    }
}
