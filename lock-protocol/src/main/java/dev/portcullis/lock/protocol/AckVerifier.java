package dev.portcullis.lock.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.lock.protocol.wire.Ack;
import dev.portcullis.lock.protocol.wire.SignedAck;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Platform side: checks a lock's signed acknowledgement. In order: size and canonical SignedAck →
 * the lock's Ed25519 signature over the exact ack bytes → canonical Ack → version → lock id and
 * signing key id → bound to the expected command hash → outcome consistent (EXECUTED: a command id,
 * no reason, the enrolled key epoch; REFUSED: a known reason). Stateless and thread-safe.
 */
public final class AckVerifier {

    /** Signed acknowledgements larger than this are refused before parsing. */
    public static final int MAX_ACK_BYTES = 4 * 1024;

    public Acknowledgement verify(byte[] signedAck, byte[] expectedCommandHash, LockIdentity lock) throws AckRejectedException {
        Objects.requireNonNull(expectedCommandHash, "expectedCommandHash");
        Objects.requireNonNull(lock, "lock");
        if (signedAck == null || signedAck.length == 0 || signedAck.length > MAX_ACK_BYTES) {
            throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "missing or too large");
        }
        SignedAck signed;
        try {
            signed = SignedAck.parseFrom(signedAck);
        } catch (InvalidProtocolBufferException e) {
            throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "not a SignedAck");
        }
        // One acknowledgement, one byte string: the evidence the platform keeps has exactly one reading.
        if (!signed.getUnknownFields().asMap().isEmpty() || !Arrays.equals(signed.toByteArray(), signedAck)) {
            throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "SignedAck is not canonically encoded");
        }
        byte[] ackBytes = signed.getAck().toByteArray();
        if (ackBytes.length == 0 || signed.getSignature().size() != Encoding.ED25519_SIGNATURE_BYTES) {
            throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "no ack or no signature");
        }
        if (!KeyMaterial.verify(lock.signingKey(), Encoding.ackSignedBytes(ackBytes), signed.getSignature().toByteArray())) {
            throw new AckRejectedException(AckRejectedException.Reason.BAD_SIGNATURE, "not signed by lock " + lock.lockId());
        }
        Ack ack;
        try {
            ack = Ack.parseFrom(ackBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "not an Ack");
        }
        if (!ack.getUnknownFields().asMap().isEmpty() || !Arrays.equals(ack.toByteArray(), ackBytes)) {
            throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "Ack is not canonically encoded");
        }
        if (ack.getVersion() != Encoding.PROTOCOL_VERSION) {
            throw new AckRejectedException(AckRejectedException.Reason.UNSUPPORTED_VERSION, "version " + ack.getVersion());
        }
        if (!lock.lockId().equals(ack.getLockId()) || !lock.signingKeyId().equals(ack.getLockSigningKeyId())) {
            throw new AckRejectedException(AckRejectedException.Reason.WRONG_LOCK, "names lock " + ack.getLockId());
        }
        if (!MessageDigest.isEqual(expectedCommandHash, ack.getCommandHash().toByteArray())) {
            throw new AckRejectedException(AckRejectedException.Reason.WRONG_COMMAND, "bound to another command");
        }
        Acknowledgement.Outcome outcome;
        RejectionReason reason;
        switch (ack.getOutcome()) {
            case OUTCOME_EXECUTED -> {
                if (ack.getCommandId().size() != Encoding.UUID_BYTES
                        || ack.getReason() != dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_UNSPECIFIED) {
                    throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "EXECUTED without command id, or with a reason");
                }
                // A lock executes only commands sealed for its current epoch, which is the enrolment's.
                if (ack.getKeyEpoch() != lock.keyEpoch()) {
                    throw new AckRejectedException(AckRejectedException.Reason.WRONG_LOCK,
                            "EXECUTED in key epoch " + Integer.toUnsignedString(ack.getKeyEpoch()) + ", enrolled " + lock.keyEpoch());
                }
                outcome = Acknowledgement.Outcome.EXECUTED;
                reason = null;
            }
            case OUTCOME_REFUSED -> {
                reason = RejectionReason.fromWire(ack.getReason());
                if (reason == null) {
                    throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "REFUSED without a known reason");
                }
                outcome = Acknowledgement.Outcome.REFUSED;
            }
            default -> throw new AckRejectedException(AckRejectedException.Reason.MALFORMED, "no outcome");
        }
        return new Acknowledgement(outcome, reason,
                ack.getCommandId().size() == Encoding.UUID_BYTES ? Encoding.uuid(ack.getCommandId().toByteArray()) : null,
                ack.getCounter(), Instant.ofEpochMilli(ack.getLockTimeUnixMs()), ack.getCommandHash().toByteArray(), ack.getKeyEpoch(),
                ack.getLastAcceptedCounter(), ack.getCredentialSetDigest().toByteArray());
    }
}
