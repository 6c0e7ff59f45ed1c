package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.FuzzWorld.COMMAND;
import static dev.portcullis.lock.protocol.FuzzWorld.EXECUTED_ACK;
import static dev.portcullis.lock.protocol.FuzzWorld.REFUSED_ACK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.lock.protocol.wire.Ack;
import dev.portcullis.lock.protocol.wire.SignedAck;
import java.time.Instant;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of what the platform parses from a lock: the signed acknowledgement
 * (docs/lock-protocol.md, "Fuzzing"). The only allowed outcomes are an {@link Acknowledgement} of the
 * expected command or an {@link AckRejectedException} with a reason; anything else is a finding.
 * Longer: {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -B -ntp -pl lock-protocol test -Dtest=AckVerifierFuzzTest}.
 */
class AckVerifierFuzzTest {

    /**
     * The platform's input, one of three ways the fuzzer picks (last input byte): 0, the remaining bytes
     * as they are (the seeds include both valid acknowledgements); 1, a valid acknowledgement with the
     * fuzzer's edits, never accepted unless the edits cancel out; 2, Ack bytes of the fuzzer's choosing
     * (edits of a valid Ack, or raw bytes) that the real lock key signs, so the checks after the
     * signature are fuzzed too, and an accepted acknowledgement must be exactly what those bytes say.
     */
    @FuzzTest(maxDuration = "6s")
    void platformReceivesAck(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> receiveUnsigned(data.consumeRemainingAsBytes());
            case 1 -> receiveUnsigned(FuzzWorld.mutate(data.consumeBoolean() ? EXECUTED_ACK : REFUSED_ACK, data));
            default -> {
                byte[] ack = data.consumeBoolean() ? FuzzWorld.mutate(ackOf(data.consumeBoolean() ? EXECUTED_ACK : REFUSED_ACK), data)
                        : data.consumeRemainingAsBytes();
                Acknowledgement accepted = receive(FuzzWorld.signAck(ack));
                if (accepted != null) {
                    assertAcceptedIsWhatWasSigned(accepted, ack);
                }
            }
        }
    }

    /** The verified acknowledgement, or null if the platform rejected it with a reason. */
    private static Acknowledgement receive(byte[] signedAck) {
        try {
            Acknowledgement ack = new AckVerifier().verify(signedAck, COMMAND.commandHash(), FuzzWorld.LOCK);
            assertArrayEquals(COMMAND.commandHash(), ack.commandHash());
            assertEquals(ack.outcome() == Acknowledgement.Outcome.REFUSED, ack.reason() != null, "a reason exactly when refused");
            return ack;
        } catch (AckRejectedException e) {
            assertNotNull(e.reason());
            return null;
        }
    }

    /** Bytes the lock did not sign can be accepted only if they are exactly one of its acknowledgements. */
    private static void receiveUnsigned(byte[] signedAck) {
        if (receive(signedAck) != null) {
            assertTrue(Arrays.equals(EXECUTED_ACK, signedAck) || Arrays.equals(REFUSED_ACK, signedAck),
                    "accepted an acknowledgement the lock never signed");
        }
    }

    private static byte[] ackOf(byte[] signedAck) {
        try {
            return SignedAck.parseFrom(signedAck).getAck().toByteArray();
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertAcceptedIsWhatWasSigned(Acknowledgement accepted, byte[] ackBytes) {
        Ack ack;
        try {
            ack = Ack.parseFrom(ackBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new AssertionError("accepted an Ack that does not parse", e);
        }
        assertArrayEquals(ackBytes, ack.toByteArray(), "accepted a non-canonical Ack");
        assertEquals(Encoding.PROTOCOL_VERSION, ack.getVersion());
        assertEquals(FuzzWorld.LOCK.lockId(), ack.getLockId());
        assertEquals(FuzzWorld.LOCK.signingKeyId(), ack.getLockSigningKeyId());
        assertArrayEquals(COMMAND.commandHash(), ack.getCommandHash().toByteArray());
        switch (ack.getOutcome()) {
            case OUTCOME_EXECUTED -> {
                assertEquals(Acknowledgement.Outcome.EXECUTED, accepted.outcome());
                assertNull(accepted.reason());
                assertEquals(FuzzWorld.LOCK.keyEpoch(), ack.getKeyEpoch(), "accepted EXECUTED in another key epoch");
                assertEquals(Encoding.uuid(ack.getCommandId().toByteArray()), accepted.commandId());
            }
            case OUTCOME_REFUSED -> {
                assertEquals(Acknowledgement.Outcome.REFUSED, accepted.outcome());
                assertEquals(RejectionReason.fromWire(ack.getReason()), accepted.reason());
            }
            default -> throw new AssertionError("accepted an acknowledgement without an outcome");
        }
        assertEquals(ack.getCounter(), accepted.counter());
        assertEquals(ack.getKeyEpoch(), accepted.keyEpoch());
        assertEquals(ack.getLastAcceptedCounter(), accepted.lastAcceptedCounter());
        assertEquals(Instant.ofEpochMilli(ack.getLockTimeUnixMs()), accepted.lockTime());
    }
}
