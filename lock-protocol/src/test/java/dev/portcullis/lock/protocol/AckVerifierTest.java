package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.Fixture.LOCK_ID;
import static dev.portcullis.lock.protocol.Fixture.NOW;
import static dev.portcullis.lock.protocol.Fixture.rejection;
import static dev.portcullis.lock.protocol.LockVerifierTest.concat;
import static dev.portcullis.lock.protocol.LockVerifierTest.field;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.wire.Ack;
import dev.portcullis.lock.protocol.wire.Outcome;
import dev.portcullis.lock.protocol.wire.SignedAck;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/** The platform's check of a lock's signed acknowledgement. */
class AckVerifierTest {

    private final Fixture f = new Fixture();
    private final AckVerifier acks = new AckVerifier();
    private final Instant lockTime = NOW.plusMillis(250);

    @Test
    void executedAckVerifiesAndYieldsItsFields() throws Exception {
        SealedCommand sealed = f.seal(12);
        byte[] signed = f.verifier.acknowledge(f.verifier.verify(sealed.envelope()), lockTime);

        Acknowledgement ack = acks.verify(signed, sealed.commandHash(), f.lock);

        assertEquals(Acknowledgement.Outcome.EXECUTED, ack.outcome());
        assertTrue(ack.executed());
        assertNull(ack.reason());
        assertEquals(sealed.commandId(), ack.commandId());
        assertEquals(12, ack.counter());
        assertEquals(lockTime, ack.lockTime());
        assertArrayEquals(sealed.commandHash(), ack.commandHash());
        assertEquals(1, ack.keyEpoch());
        assertEquals(12, ack.lastAcceptedCounter());
    }

    @Test
    void refusedAckVerifiesWithTheReasonAndTheClaimedCommand() throws Exception {
        SealedCommand sealed = f.seal(3);
        f.verifier.verify(sealed.envelope());
        RejectionReason reason = rejection(f.verifier, sealed.envelope());
        byte[] signed = f.verifier.refuse(sealed.envelope(), reason, lockTime);

        Acknowledgement ack = acks.verify(signed, sealed.commandHash(), f.lock);

        assertEquals(Acknowledgement.Outcome.REFUSED, ack.outcome());
        assertEquals(RejectionReason.REPLAYED_COUNTER, ack.reason());
        assertEquals(sealed.commandId(), ack.commandId());
        assertEquals(3, ack.counter());
        assertEquals(3, ack.lastAcceptedCounter(), "tells the platform the lock already accepted this counter");
    }

    @Test
    void everyRejectionReasonTravelsInASignedRefusal() throws Exception {
        byte[] envelope = f.seal(1).envelope();
        for (RejectionReason reason : RejectionReason.values()) {
            Acknowledgement ack = acks.verify(f.verifier.refuse(envelope, reason, lockTime), Encoding.sha256(envelope), f.lock);
            assertEquals(reason, ack.reason());
        }
    }

    @Test
    void refusalOfUnparseableBytesIsBoundToTheirHashAlone() throws Exception {
        byte[] garbage = {1, 2, 3, 4};
        Acknowledgement ack = acks.verify(f.verifier.refuse(garbage, RejectionReason.MALFORMED, lockTime), Encoding.sha256(garbage), f.lock);
        assertEquals(RejectionReason.MALFORMED, ack.reason());
        assertNull(ack.commandId());
        assertEquals(0, ack.counter());
    }

    @Test
    void ackSignedByAnotherLockIsRejected() throws Exception {
        SealedCommand sealed = f.seal(1);
        // An impostor holding other keys claims to be this lock.
        LockVerifier impostor = new LockVerifier(LOCK_ID, 1, InMemoryLockKeys.generate(), f.verifier.trustedKeys(),
                new InMemoryCounterStore(), Clock.fixed(NOW, ZoneOffset.UTC), Fixture.SKEW, Fixture.MAX_LIFETIME);
        byte[] forged = impostor.refuse(sealed.envelope(), RejectionReason.EXPIRED, lockTime);
        assertEquals(AckRejectedException.Reason.BAD_SIGNATURE, reason(forged, sealed.commandHash(), f.lock));

        // A genuine ack of another lock, for the same envelope, is not this lock's ack either.
        Fixture other = new Fixture();
        byte[] othersAck = other.verifier.refuse(sealed.envelope(), RejectionReason.WRONG_LOCK, lockTime);
        assertEquals(AckRejectedException.Reason.BAD_SIGNATURE, reason(othersAck, sealed.commandHash(), f.lock));
    }

    @Test
    void ackNamingAnotherLockOrKeyIsRejected() throws Exception {
        SealedCommand sealed = f.seal(1);
        // Signed with this lock's key, but the signed ack says it comes from another lock id.
        LockVerifier sameKeyOtherId = new LockVerifier("another-lock", 1, f.lockKeys, f.verifier.trustedKeys(),
                new InMemoryCounterStore(), Clock.fixed(NOW, ZoneOffset.UTC), Fixture.SKEW, Fixture.MAX_LIFETIME);
        byte[] signed = sameKeyOtherId.refuse(sealed.envelope(), RejectionReason.WRONG_LOCK, lockTime);
        assertEquals(AckRejectedException.Reason.WRONG_LOCK, reason(signed, sealed.commandHash(), f.lock));

        byte[] wrongKeyId = signAck(ackFor(sealed).setLockSigningKeyId(f.lockKeys.agreementKeyId()).build().toByteArray());
        assertEquals(AckRejectedException.Reason.WRONG_LOCK, reason(wrongKeyId, sealed.commandHash(), f.lock));
    }

    @Test
    void executedAckFromAnotherKeyEpochIsRejected() throws Exception {
        SealedCommand sealed = f.seal(1);
        byte[] signed = f.verifier.acknowledge(f.verifier.verify(sealed.envelope()), lockTime);
        LockIdentity reenrolled = new LockIdentity(LOCK_ID, f.lockKeys.signingPublicKey(), f.lockKeys.agreementPublicKey(), 2);
        assertEquals(AckRejectedException.Reason.WRONG_LOCK, reason(signed, sealed.commandHash(), reenrolled));
    }

    @Test
    void ackForAnotherCommandIsRejected() throws Exception {
        SealedCommand first = f.seal(1);
        SealedCommand second = f.seal(2);
        byte[] ackOfFirst = f.verifier.acknowledge(f.verifier.verify(first.envelope()), lockTime);
        assertEquals(AckRejectedException.Reason.WRONG_COMMAND, reason(ackOfFirst, second.commandHash(), f.lock));
        assertEquals(AckRejectedException.Reason.WRONG_COMMAND, reason(ackOfFirst, new byte[0], f.lock));
    }

    @Test
    void everyTamperedByteOfAnAckIsRejected() throws Exception {
        SealedCommand sealed = f.seal(1);
        byte[] signed = f.verifier.acknowledge(f.verifier.verify(sealed.envelope()), lockTime);
        for (int position = 0; position < signed.length; position++) {
            for (int mask : new int[] {0x01, 0x80}) {
                AckRejectedException.Reason reason = reason(Fixture.flip(signed, position, mask), sealed.commandHash(), f.lock);
                assertTrue(EnumSet.of(AckRejectedException.Reason.MALFORMED, AckRejectedException.Reason.BAD_SIGNATURE).contains(reason),
                        position + ": " + reason);
            }
        }
        acks.verify(signed, sealed.commandHash(), f.lock);
    }

    @Test
    void nonCanonicalAcksAreRejectedEvenWhenSigned() throws Exception {
        SealedCommand sealed = f.seal(1);
        byte[] signed = f.verifier.acknowledge(f.verifier.verify(sealed.envelope()), lockTime);
        assertEquals(AckRejectedException.Reason.MALFORMED, reason(concat(signed, field(7, new byte[] {1})), sealed.commandHash(), f.lock));

        byte[] ackWithUnknownField = concat(ackFor(sealed).build().toByteArray(), field(20, new byte[] {1}));
        assertEquals(AckRejectedException.Reason.MALFORMED, reason(signAck(ackWithUnknownField), sealed.commandHash(), f.lock));
        byte[] ackWithShadowedOutcome = concat(Ack.newBuilder().setOutcome(Outcome.OUTCOME_REFUSED).build().toByteArray(),
                ackFor(sealed).build().toByteArray());
        assertEquals(AckRejectedException.Reason.MALFORMED, reason(signAck(ackWithShadowedOutcome), sealed.commandHash(), f.lock));
    }

    @Test
    void inconsistentOutcomesAreRejected() throws Exception {
        SealedCommand sealed = f.seal(1);
        byte[] hash = sealed.commandHash();
        assertEquals(AckRejectedException.Reason.MALFORMED,
                reason(signAck(ackFor(sealed).clearCommandId().build().toByteArray()), hash, f.lock));
        assertEquals(AckRejectedException.Reason.MALFORMED, reason(signAck(ackFor(sealed)
                .setReason(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_EXPIRED).build().toByteArray()), hash, f.lock));
        assertEquals(AckRejectedException.Reason.MALFORMED,
                reason(signAck(ackFor(sealed).setOutcome(Outcome.OUTCOME_REFUSED).build().toByteArray()), hash, f.lock));
        assertEquals(AckRejectedException.Reason.MALFORMED,
                reason(signAck(ackFor(sealed).setOutcome(Outcome.OUTCOME_UNSPECIFIED).build().toByteArray()), hash, f.lock));
        assertEquals(AckRejectedException.Reason.MALFORMED,
                reason(signAck(ackFor(sealed).setOutcomeValue(7).build().toByteArray()), hash, f.lock));
        assertEquals(AckRejectedException.Reason.UNSUPPORTED_VERSION,
                reason(signAck(ackFor(sealed).setVersion(2).build().toByteArray()), hash, f.lock));
        acks.verify(signAck(ackFor(sealed).build().toByteArray()), hash, f.lock);
    }

    @Test
    void oversizedOrEmptyAcksAreRejected() {
        byte[] hash = f.seal(1).commandHash();
        assertEquals(AckRejectedException.Reason.MALFORMED, reason(new byte[AckVerifier.MAX_ACK_BYTES + 1], hash, f.lock));
        assertEquals(AckRejectedException.Reason.MALFORMED, reason(new byte[0], hash, f.lock));
        assertEquals(AckRejectedException.Reason.MALFORMED, reason(null, hash, f.lock));
        assertEquals(AckRejectedException.Reason.MALFORMED, reason(SignedAck.newBuilder()
                .setAck(ByteString.copyFrom(new byte[] {8, 1})).setSignature(ByteString.copyFrom(new byte[63])).build().toByteArray(), hash, f.lock));
    }

    @Test
    void aGatewayChallengeSignatureIsNeverAnAck() throws Exception {
        // The lock signs whatever challenge nonce it is sent; domain separation keeps that from being an ack.
        SealedCommand sealed = f.seal(1);
        byte[] ackBytes = ackFor(sealed).build().toByteArray();
        byte[] challengeSignature = GatewayChallenge.sign(f.lockKeys, LOCK_ID, ackBytes);
        byte[] signed = SignedAck.newBuilder().setAck(ByteString.copyFrom(ackBytes)).setSignature(ByteString.copyFrom(challengeSignature))
                .build().toByteArray();
        assertEquals(AckRejectedException.Reason.BAD_SIGNATURE, reason(signed, sealed.commandHash(), f.lock));
    }

    @Test
    void argumentsAreRequired() {
        assertThrows(NullPointerException.class, () -> acks.verify(new byte[1], null, f.lock));
        assertThrows(NullPointerException.class, () -> acks.verify(new byte[1], new byte[32], null));
    }

    // --- helpers ----------------------------------------------------------------------------------

    private Ack.Builder ackFor(SealedCommand sealed) {
        return Ack.newBuilder()
                .setVersion(1)
                .setLockId(LOCK_ID)
                .setLockSigningKeyId(f.lockKeys.signingKeyId())
                .setKeyEpoch(1)
                .setCommandHash(ByteString.copyFrom(sealed.commandHash()))
                .setOutcome(Outcome.OUTCOME_EXECUTED)
                .setCommandId(ByteString.copyFrom(Encoding.uuid(sealed.commandId())))
                .setCounter(sealed.counter())
                .setLastAcceptedCounter(sealed.counter())
                .setLockTimeUnixMs(lockTime.toEpochMilli());
    }

    /** Signs arbitrary ack bytes with the fixture lock's real key. */
    private byte[] signAck(byte[] ackBytes) {
        return SignedAck.newBuilder()
                .setAck(ByteString.copyFrom(ackBytes))
                .setSignature(ByteString.copyFrom(f.lockKeys.sign(Encoding.ackSignedBytes(ackBytes))))
                .build()
                .toByteArray();
    }

    private AckRejectedException.Reason reason(byte[] signedAck, byte[] expectedHash, LockIdentity lock) {
        try {
            throw new AssertionError("accepted " + acks.verify(signedAck, expectedHash, lock));
        } catch (AckRejectedException e) {
            return e.reason();
        }
    }
}
