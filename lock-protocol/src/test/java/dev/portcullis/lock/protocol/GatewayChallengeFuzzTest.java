package dev.portcullis.lock.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of the gateway challenge (docs/lock-protocol.md, "Gateway challenge" and
 * "Fuzzing"): the platform checks a lock id, nonce and signature that arrive over the network, and the
 * lock signs a nonce that arrives over the network. Checking never throws and is true only for the
 * lock's own answer; signing either refuses the nonce with an IllegalArgumentException or gives an
 * answer that verifies for exactly that lock id and nonce.
 * Longer: {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -B -ntp -pl lock-protocol test -Dtest=GatewayChallengeFuzzTest}.
 */
class GatewayChallengeFuzzTest {

    private static final String LOCK_ID = TestVectors.LOCK_ID;
    private static final byte[] NONCE = TestVectors.HEX.parseHex(TestVectors.CHALLENGE_NONCE);
    private static final byte[] ANSWER = GatewayChallenge.sign(FuzzWorld.LOCK_KEYS, LOCK_ID, NONCE);

    /**
     * One of three ways the fuzzer picks (last input byte): 0, a lock id, nonce and signature from the
     * input; 1, the vectors' challenge and answer with the fuzzer's edits; 2, the lock answers a
     * challenge of the fuzzer's choosing.
     */
    @FuzzTest(maxDuration = "4s")
    void gatewayChecksChallengeAnswer(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> check(data.consumeString(64), data.consumeBytes(data.consumeInt(0, 2 * GatewayChallenge.MAX_NONCE_BYTES)),
                    data.consumeRemainingAsBytes());
            case 1 -> {
                String lockId = data.consumeBoolean() ? LOCK_ID : new String(FuzzWorld.mutate(LOCK_ID.getBytes(StandardCharsets.UTF_8), data),
                        StandardCharsets.UTF_8);
                byte[] nonce = data.consumeBoolean() ? NONCE.clone() : FuzzWorld.mutate(NONCE, data);
                byte[] signature = data.consumeBoolean() ? ANSWER.clone() : FuzzWorld.mutate(ANSWER, data);
                check(lockId, nonce, signature);
            }
            default -> answer(data.consumeString(64), data.consumeRemainingAsBytes());
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
}
