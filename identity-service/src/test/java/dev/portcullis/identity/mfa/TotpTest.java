package dev.portcullis.identity.mfa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TotpTest {

    private static final byte[] SEED_SHA1 = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA256 = "12345678901234567890123456789012".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SEED_SHA512 = "1234567890123456789012345678901234567890123456789012345678901234"
            .getBytes(StandardCharsets.US_ASCII);

    /** RFC 6238 Appendix B: every vector, all three HMACs, 8 digits. */
    @ParameterizedTest
    @CsvSource({
            "59,          94287082, 46119246, 90693936",
            "1111111109,  07081804, 68084774, 25091201",
            "1111111111,  14050471, 67062674, 99943326",
            "1234567890,  89005924, 91819424, 93441116",
            "2000000000,  69279037, 90698825, 38618901",
            "20000000000, 65353130, 77737706, 47863826"})
    void rfc6238AppendixBVectors(long time, String sha1, String sha256, String sha512) {
        long step = Totp.step(Instant.ofEpochSecond(time));
        assertEquals(sha1, Totp.code(SEED_SHA1, step, 8, "HmacSHA1"));
        assertEquals(sha256, Totp.code(SEED_SHA256, step, 8, "HmacSHA256"));
        assertEquals(sha512, Totp.code(SEED_SHA512, step, 8, "HmacSHA512"));
    }

    @Test
    void sixDigitCodesAreTheLowDigitsOfTheVectors() {
        assertEquals("287082", Totp.code(SEED_SHA1, Instant.ofEpochSecond(59)));
        assertEquals("081804", Totp.code(SEED_SHA1, Instant.ofEpochSecond(1111111109)));
    }

    @Test
    void acceptsTheCurrentAndAdjacentStepsOnly() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        for (int offset = -1; offset <= 1; offset++) {
            String code = Totp.code(SEED_SHA1, step + offset, 6, Totp.HMAC_SHA1);
            assertEquals(OptionalLong.of(step + offset), Totp.verify(SEED_SHA1, code, now, null), "offset " + offset);
        }
        for (int offset : new int[] {-3, -2, 2, 3}) {
            String code = Totp.code(SEED_SHA1, step + offset, 6, Totp.HMAC_SHA1);
            // A code of a far step can collide with a near one by chance (10^-6); these don't for this seed.
            assertTrue(Totp.verify(SEED_SHA1, code, now, null).isEmpty(), "offset " + offset);
        }
    }

    @Test
    void aStepIsAcceptedOnceAndNeverBeforeTheLastAcceptedOne() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        long step = Totp.step(now);
        String current = Totp.code(SEED_SHA1, step, 6, Totp.HMAC_SHA1);
        OptionalLong first = Totp.verify(SEED_SHA1, current, now, null);
        assertEquals(OptionalLong.of(step), first);
        // The same code again, after it was accepted: refused.
        assertTrue(Totp.verify(SEED_SHA1, current, now, first.getAsLong()).isEmpty());
        // An older (still in-window) code after a newer one was accepted: refused.
        String previous = Totp.code(SEED_SHA1, step - 1, 6, Totp.HMAC_SHA1);
        assertTrue(Totp.verify(SEED_SHA1, previous, now, step).isEmpty());
        // The next step's code is still fine.
        String next = Totp.code(SEED_SHA1, step + 1, 6, Totp.HMAC_SHA1);
        assertEquals(OptionalLong.of(step + 1), Totp.verify(SEED_SHA1, next, now, step));
    }

    @Test
    void malformedCodesAreRefused() {
        Instant now = Instant.ofEpochSecond(1_700_000_000L);
        String good = Totp.code(SEED_SHA1, now);
        assertTrue(Totp.verify(SEED_SHA1, null, now, null).isEmpty());
        assertTrue(Totp.verify(SEED_SHA1, "", now, null).isEmpty());
        assertTrue(Totp.verify(SEED_SHA1, good + "0", now, null).isEmpty());
        assertTrue(Totp.verify(SEED_SHA1, good.substring(1), now, null).isEmpty());
        assertTrue(Totp.verify(SEED_SHA1, "12345a", now, null).isEmpty());
        assertTrue(Totp.verify(SEED_SHA1, "١٢٣٤٥٦", now, null).isEmpty());
    }

    @Test
    void secretsAreBase32WithAtLeast80Bits() {
        String encoded = TotpSecrets.encode(SEED_SHA1);
        assertEquals("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", encoded);
        assertEquals(new String(SEED_SHA1, StandardCharsets.US_ASCII),
                new String(TotpSecrets.decode("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> TotpSecrets.decode("GEZDGNBV"));
        assertThrows(IllegalArgumentException.class, () -> TotpSecrets.decode("not base32!"));
        assertThrows(IllegalArgumentException.class, () -> TotpSecrets.decode(""));
    }
}
