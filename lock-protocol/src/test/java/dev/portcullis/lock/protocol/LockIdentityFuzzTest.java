package dev.portcullis.lock.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of how the platform learns who a lock is (docs/lock-protocol.md, "Fuzzing"):
 * the lock's public keys sent at enrolment (SubjectPublicKeyInfo, §3), and the gateway challenge
 * (§10), where the platform checks a lock id, nonce and signature from the network and the lock signs
 * a nonce from the network. Decoding a key gives that exact key or an IllegalArgumentException;
 * checking an answer never throws and is true only for the lock's own answer; signing either refuses
 * the challenge with an IllegalArgumentException or gives an answer that verifies for exactly that lock
 * id and nonce. Any other exception is a finding.
 * Longer: {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -B -ntp -pl lock-protocol test -Dtest=LockIdentityFuzzTest}.
 */
class LockIdentityFuzzTest {

    private static final String LOCK_ID = TestVectors.LOCK_ID;
    private static final byte[] NONCE = TestVectors.HEX.parseHex(TestVectors.CHALLENGE_NONCE);
    private static final byte[] ANSWER = GatewayChallenge.sign(FuzzWorld.LOCK_KEYS, LOCK_ID, NONCE);
    private static final byte[] SIGNING_SPKI = FuzzWorld.LOCK.signingKey().getEncoded();
    private static final byte[] AGREEMENT_SPKI = FuzzWorld.LOCK.agreementKey().getEncoded();

    /**
     * One of four ways the fuzzer picks (last input byte): 0, a lock id, nonce and signature from the
     * input; 1, the vectors' challenge and answer with the fuzzer's edits; 2, the lock answers a
     * challenge of the fuzzer's choosing; 3, enrolment keys: the lock's real keys edited, or raw bytes.
     */
    @FuzzTest(maxDuration = "4s")
    void platformChecksLockIdentity(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 3)) {
            case 0 -> check(data.consumeString(64), data.consumeBytes(data.consumeInt(0, 2 * GatewayChallenge.MAX_NONCE_BYTES)),
                    data.consumeRemainingAsBytes());
            case 1 -> {
                String lockId = data.consumeBoolean() ? LOCK_ID : new String(FuzzWorld.mutate(LOCK_ID.getBytes(StandardCharsets.UTF_8), data),
                        StandardCharsets.UTF_8);
                byte[] nonce = data.consumeBoolean() ? NONCE.clone() : FuzzWorld.mutate(NONCE, data);
                byte[] signature = data.consumeBoolean() ? ANSWER.clone() : FuzzWorld.mutate(ANSWER, data);
                check(lockId, nonce, signature);
            }
            case 2 -> answer(data.consumeString(64), data.consumeRemainingAsBytes());
            default -> {
                boolean signing = data.consumeBoolean();
                byte[] spki = data.consumeBoolean() ? FuzzWorld.mutate(signing ? SIGNING_SPKI : AGREEMENT_SPKI, data)
                        : data.consumeRemainingAsBytes();
                decode(signing, spki);
            }
        }
    }

    private static void check(String lockId, byte[] nonce, byte[] signature) {
        if (GatewayChallenge.verify(FuzzWorld.LOCK.signingKey(), lockId, nonce, signature)) {
            assertEquals(LOCK_ID, lockId, "an answer for another lock id verified");
            assertTrue(Arrays.equals(NONCE, nonce) && Arrays.equals(ANSWER, signature), "an answer the lock never gave verified");
        }
    }

    private static void answer(String lockId, byte[] nonce) {
        boolean acceptable = !lockId.isEmpty() && nonce.length >= GatewayChallenge.MIN_NONCE_BYTES
                && nonce.length <= GatewayChallenge.MAX_NONCE_BYTES;
        byte[] signature;
        try {
            signature = GatewayChallenge.sign(FuzzWorld.LOCK_KEYS, lockId, nonce);
        } catch (IllegalArgumentException refused) {
            assertFalse(acceptable, "the lock refused a challenge it should answer: " + refused.getMessage());
            return;
        }
        assertTrue(acceptable, "the lock answered a challenge it should refuse");
        assertTrue(GatewayChallenge.verify(FuzzWorld.LOCK.signingKey(), lockId, nonce, signature));
        byte[] otherNonce = nonce.clone();
        otherNonce[0] ^= 1;
        assertFalse(GatewayChallenge.verify(FuzzWorld.LOCK.signingKey(), lockId, otherNonce, signature));
        assertFalse(GatewayChallenge.verify(FuzzWorld.LOCK.signingKey(), lockId + "x", nonce, signature));
    }

    /** A decoded key is exactly the bytes received (one encoding, one key id); anything else is an IllegalArgumentException. */
    private static void decode(boolean signing, byte[] spki) {
        PublicKey key;
        try {
            key = signing ? PublicKeys.ed25519(spki) : PublicKeys.x25519(spki);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertArrayEquals(spki, key.getEncoded(), "decoded a key whose encoding differs from the bytes received");
        assertEquals(KeyIds.ofSpki(spki), KeyIds.of(key));
        assertTrue(signing ? PublicKeys.isEd25519(key) : PublicKeys.isX25519(key));
    }
}
