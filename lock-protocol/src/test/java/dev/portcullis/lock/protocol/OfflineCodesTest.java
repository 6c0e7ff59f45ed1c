package dev.portcullis.lock.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class OfflineCodesTest {

    private static final byte[] SECRET = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final String LOCK = "7f1c2e9a-0b7e-4c4e-9a55-3f1d2b8c6a10";
    private static final Instant START = Instant.parse("2025-06-01T14:00:00Z");

    @Test
    void aCodeOpensExactlyDuringItsWindow() {
        String code = OfflineCodes.code(SECRET, LOCK, START, Duration.ofHours(4));
        assertTrue(code.matches("[0-9]{10}"));
        assertEquals(new OfflineCodes.Window(START, START.plus(Duration.ofHours(4))),
                OfflineCodes.check(SECRET, LOCK, code, START).orElseThrow());
        assertTrue(OfflineCodes.check(SECRET, LOCK, code, START.plus(Duration.ofHours(4)).minusMillis(1)).isPresent());
        assertTrue(OfflineCodes.check(SECRET, LOCK, code, START.minusMillis(1)).isEmpty(), "not before");
        assertTrue(OfflineCodes.check(SECRET, LOCK, code, START.plus(Duration.ofHours(4))).isEmpty(), "not from the end on");
    }

    @Test
    void aCodeIsForOneLockAndOneSecret() {
        String code = OfflineCodes.code(SECRET, LOCK, START, Duration.ofHours(24));
        assertTrue(OfflineCodes.check(SECRET, "another-lock", code, START.plusSeconds(60)).isEmpty());
        byte[] other = SECRET.clone();
        other[0] ^= 1;
        assertTrue(OfflineCodes.check(other, LOCK, code, START.plusSeconds(60)).isEmpty());
        assertTrue(OfflineCodes.check(SECRET, LOCK, "12345", START).isEmpty());
        assertTrue(OfflineCodes.check(SECRET, LOCK, null, START).isEmpty());
    }

    @Test
    void theCodeIsTheDocumentedConstructionComputedIndependently() {
        // docs/lock-protocol.md: HMAC-SHA256(secret, LP(domain) || LP(lock id) || int64(start hour) || uint32(hours)),
        // first 8 bytes unsigned big-endian mod 10^10 — recomputed here with BouncyCastle and BigInteger
        org.bouncycastle.crypto.macs.HMac hmac = new org.bouncycastle.crypto.macs.HMac(new org.bouncycastle.crypto.digests.SHA256Digest());
        hmac.init(new org.bouncycastle.crypto.params.KeyParameter(SECRET));
        java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
        for (String part : new String[] {"portcullis/offline-code/v1", LOCK}) {
            byte[] bytes = part.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            message.writeBytes(java.nio.ByteBuffer.allocate(4).putInt(bytes.length).array());
            message.writeBytes(bytes);
        }
        message.writeBytes(java.nio.ByteBuffer.allocate(12).putLong(START.getEpochSecond() / 3600).putInt(8).array());
        byte[] input = message.toByteArray();
        hmac.update(input, 0, input.length);
        byte[] mac = new byte[32];
        hmac.doFinal(mac, 0);
        String expected = String.format("%010d",
                new java.math.BigInteger(1, java.util.Arrays.copyOf(mac, 8)).mod(java.math.BigInteger.TEN.pow(10)));
        assertEquals(expected, OfflineCodes.code(SECRET, LOCK, START, Duration.ofHours(8)));
    }

    @Test
    void windowsStartOnWholeHoursAndLastAnAllowedDuration() {
        assertThrows(IllegalArgumentException.class, () -> OfflineCodes.code(SECRET, LOCK, START.plusSeconds(60), Duration.ofHours(1)));
        assertThrows(IllegalArgumentException.class, () -> OfflineCodes.code(SECRET, LOCK, START, Duration.ofHours(3)));
        assertThrows(IllegalArgumentException.class, () -> OfflineCodes.code(new byte[16], LOCK, START, Duration.ofHours(1)));
    }

    @Test
    void aLockHoldingTheSecretAsACredentialOpensForItsCodesWithinTheSecretsValidityOnly() {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        Instant start = Instant.parse("2026-12-03T10:00:00Z");
        String code = OfflineCodes.code(secret, "lock-7", start, Duration.ofHours(2));
        CredentialSet lock = new CredentialSet();
        java.util.UUID id = java.util.UUID.randomUUID();
        assertEquals(CredentialSet.Refusal.UNKNOWN, lock.presentOfflineCode("lock-7", code, start.plusSeconds(60)).refusal(), "no secret yet");
        lock.put(new CredentialSpec(id, CredentialSpec.Kind.OFFLINE_CODES, secret, false, null, Instant.parse("2026-12-03T11:00:00Z"),
                java.util.List.of(), null, 0));
        CredentialSet.Check inside = lock.presentOfflineCode("lock-7", code, start.plusSeconds(60));
        assertTrue(inside.opens());
        assertEquals(id, inside.credentialId());
        assertEquals(CredentialSet.Refusal.EXPIRED, lock.presentOfflineCode("lock-7", code, Instant.parse("2026-12-03T11:30:00Z")).refusal(),
                "inside the code's window but after the secret's validity");
        assertEquals(CredentialSet.Refusal.UNKNOWN, lock.presentOfflineCode("lock-8", code, start.plusSeconds(60)).refusal(), "another lock");
        assertEquals(CredentialSet.Refusal.UNKNOWN, lock.presentOfflineCode("lock-7", code, start.plusSeconds(3 * 3600)).refusal(),
                "after the code's window");
        assertTrue(!lock.present(CredentialSpec.Kind.PIN, code.getBytes(java.nio.charset.StandardCharsets.US_ASCII), start).opens(),
                "the code is not a PIN");
        CredentialSpec round = CredentialSpec.parse(lock.find(id).orElseThrow().serialize());
        assertEquals(CredentialSpec.Kind.OFFLINE_CODES, round.kind());
        assertThrows(IllegalArgumentException.class, () -> new CredentialSpec(java.util.UUID.randomUUID(), CredentialSpec.Kind.OFFLINE_CODES,
                new byte[16], false, null, null, java.util.List.of(), null, 0));
        assertThrows(IllegalArgumentException.class, () -> new CredentialSpec(java.util.UUID.randomUUID(), CredentialSpec.Kind.OFFLINE_CODES,
                secret, false, null, null, java.util.List.of(), null, 1));
    }
}
