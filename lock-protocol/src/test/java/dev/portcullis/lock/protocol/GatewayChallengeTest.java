package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.Fixture.LOCK_ID;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/** The gateway stream's proof that the connecting party holds the enrolled lock's signing key. */
class GatewayChallengeTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final InMemoryLockKeys keys = InMemoryLockKeys.generate();
    private final byte[] nonce = randomNonce();

    @Test
    void answerWithTheEnrolledKeyPasses() {
        assertTrue(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, nonce, GatewayChallenge.sign(keys, LOCK_ID, nonce)));
    }

    @Test
    void answerWithAnotherKeyFails() {
        byte[] signature = GatewayChallenge.sign(InMemoryLockKeys.generate(), LOCK_ID, nonce);
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, nonce, signature));
    }

    @Test
    void answerToAnotherNonceFails() {
        // A recorded answer to an earlier challenge is no answer to a fresh one.
        byte[] recorded = GatewayChallenge.sign(keys, LOCK_ID, nonce);
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, randomNonce(), recorded));
    }

    @Test
    void answerForAnotherLockIdFails() {
        // The same device enrolled twice (or a hub for several locks) cannot pass one lock's answer off as another's.
        byte[] signature = GatewayChallenge.sign(keys, "another-lock", nonce);
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, nonce, signature));
    }

    @Test
    void tamperedOrMissingSignaturesFail() {
        byte[] signature = GatewayChallenge.sign(keys, LOCK_ID, nonce);
        for (int position = 0; position < signature.length; position++) {
            assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, nonce, Fixture.flip(signature, position)), "byte " + position);
        }
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, nonce, null));
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, nonce, new byte[64]));
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, nonce, java.util.Arrays.copyOf(signature, 63)));
        assertFalse(GatewayChallenge.verify(null, LOCK_ID, nonce, signature));
    }

    @Test
    void anAckSignatureIsNeverAChallengeAnswer() {
        byte[] ackSignature = keys.sign(Encoding.ackSignedBytes(nonce));
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, nonce, ackSignature));
    }

    @Test
    void weakNoncesAreRefusedOnBothSides() {
        byte[] shortNonce = new byte[GatewayChallenge.MIN_NONCE_BYTES - 1];
        assertThrows(IllegalArgumentException.class, () -> GatewayChallenge.sign(keys, LOCK_ID, shortNonce));
        assertThrows(IllegalArgumentException.class, () -> GatewayChallenge.sign(keys, LOCK_ID, null));
        assertThrows(IllegalArgumentException.class, () -> GatewayChallenge.sign(keys, "", nonce));
        byte[] signature = keys.sign(Encoding.lengthPrefixed(Encoding.utf8(Encoding.CHALLENGE_SIGNATURE_DOMAIN), Encoding.utf8(LOCK_ID), shortNonce));
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, shortNonce, signature));
        assertFalse(GatewayChallenge.verify(keys.signingPublicKey(), LOCK_ID, new byte[GatewayChallenge.MAX_NONCE_BYTES + 1], signature));
    }

    private static byte[] randomNonce() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
