package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.Fixture.LOCK_ID;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** Orphan recovery's proof that someone at the lock made it answer the platform's challenge with its enrolled key. */
class RecoveryChallengeTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InMemoryLockKeys keys = InMemoryLockKeys.generate();
    private final byte[] challenge = challenge();

    private static byte[] challenge() {
        byte[] bytes = new byte[RecoveryChallenge.CHALLENGE_BYTES];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Test
    void answerWithTheEnrolledKeyPasses() {
        assertTrue(RecoveryChallenge.verify(keys.signingPublicKey(), LOCK_ID, challenge, RecoveryChallenge.sign(keys, LOCK_ID, challenge)));
    }

    @Test
    void answersWithAnotherKeyToAnotherChallengeOrForAnotherLockFail() {
        assertFalse(RecoveryChallenge.verify(keys.signingPublicKey(), LOCK_ID, challenge,
                RecoveryChallenge.sign(InMemoryLockKeys.generate(), LOCK_ID, challenge)));
        assertFalse(RecoveryChallenge.verify(keys.signingPublicKey(), LOCK_ID, challenge(), RecoveryChallenge.sign(keys, LOCK_ID, challenge)));
        assertFalse(RecoveryChallenge.verify(keys.signingPublicKey(), LOCK_ID, challenge, RecoveryChallenge.sign(keys, "another-lock", challenge)));
        byte[] signature = RecoveryChallenge.sign(keys, LOCK_ID, challenge);
        for (int position = 0; position < signature.length; position++) {
            assertFalse(RecoveryChallenge.verify(keys.signingPublicKey(), LOCK_ID, challenge, Fixture.flip(signature, position)), "byte " + position);
        }
        assertFalse(RecoveryChallenge.verify(keys.signingPublicKey(), LOCK_ID, challenge, null));
        assertFalse(RecoveryChallenge.verify(keys.signingPublicKey(), LOCK_ID, new byte[16], signature));
        assertThrows(IllegalArgumentException.class, () -> RecoveryChallenge.sign(keys, LOCK_ID, new byte[16]));
    }

    @Test
    void aGatewayChallengeAnswerIsNeverARecoveryProof() {
        // Anyone who can make the lock connect to them gets gateway answers for nonces they choose.
        byte[] gatewayAnswer = GatewayChallenge.sign(keys, LOCK_ID, challenge);
        assertFalse(RecoveryChallenge.verify(keys.signingPublicKey(), LOCK_ID, challenge, gatewayAnswer));
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, challenge, RecoveryChallenge.sign(keys, LOCK_ID, challenge)));
    }
}
