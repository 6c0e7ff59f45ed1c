package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.FuzzWorld.COMMAND;
import static dev.portcullis.lock.protocol.TestVectors.KEY_EPOCH;
import static dev.portcullis.lock.protocol.TestVectors.LAST_ACCEPTED;
import static dev.portcullis.lock.protocol.TestVectors.LOCK_ID;
import static dev.portcullis.lock.protocol.TestVectors.LOCK_NOW;
import static dev.portcullis.lock.protocol.TestVectors.MAX_LIFETIME;
import static dev.portcullis.lock.protocol.TestVectors.REFUSAL_TIME;
import static dev.portcullis.lock.protocol.TestVectors.SKEW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.portcullis.lock.protocol.wire.CommandBody;
import dev.portcullis.lock.protocol.wire.CommandHeader;
import java.time.Duration;
import java.time.Instant;

/**
 * Coverage-guided fuzzing of what a lock parses from the network: the command envelope
 * (docs/lock-protocol.md, "Fuzzing"). Whatever arrives, the only allowed outcomes are an accepted
 * command (for bytes the platform did not sign: only the one valid envelope) or a
 * {@link CommandRejectedException} with a reason; any other exception or error is a finding. For every
 * refused input the lock must also be able to sign its refusal, and the platform must accept that refusal.
 *
 * <p>In a plain {@code ./mvnw verify} the test first replays its inputs under
 * {@code src/test/resources/dev/portcullis/lock/protocol/LockVerifierFuzzTestInputs/lockReceivesEnvelope};
 * the build then fuzzes it for its {@code maxDuration} (lock-protocol/pom.xml, profile {@code fuzz}). Longer:
 * {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -B -ntp -pl lock-protocol test -Dtest=LockVerifierFuzzTest}.
 */
class LockVerifierFuzzTest {

    /**
     * The lock's input, one of three ways the fuzzer picks (last input byte): 0, the remaining bytes as
     * they are (the seeds include the valid envelope); 1, the valid envelope with the fuzzer's edits,
     * never accepted unless the edits leave it unchanged; 2, a header, nonce and body of the fuzzer's
     * choosing that the real platform keys seal and sign, so the checks after the signature (nonce,
     * addressing, decryption, body, counter, time) are fuzzed too, and an accepted command must be
     * exactly what that header and body say. Headers and bodies are edits of the valid ones, raw bytes,
     * or well-formed messages with fuzzed fields.
     */
    @FuzzTest(maxDuration = "10s")
    void lockReceivesEnvelope(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> receiveUnsigned(data.consumeRemainingAsBytes());
            case 1 -> receiveUnsigned(FuzzWorld.mutate(COMMAND.envelope(), data));
            default -> receiveResealed(data);
        }
    }

    private static void receiveResealed(FuzzedDataProvider data) {
        byte[] header = switch (data.consumeInt(0, 2)) {
            case 0 -> FuzzWorld.mutate(FuzzWorld.HEADER, data);
            case 1 -> data.consumeBytes(data.consumeInt(0, 512));
            default -> header(data);
        };
        byte[] body = switch (data.consumeInt(0, 2)) {
            case 0 -> FuzzWorld.mutate(FuzzWorld.BODY, data);
            case 1 -> data.consumeBytes(data.consumeInt(0, 512));
            default -> body(data);
        };
        byte[] nonce = data.consumeBoolean() ? impliedNonce(header) : data.consumeBytes(data.consumeInt(1, 16));
        if (nonce.length == 0) {
            // AES-GCM needs a nonce to seal with at all; the lock's own size check is fuzzed through the other modes.
            nonce = FuzzWorld.NONCE.clone();
        }
        byte[] envelope = FuzzWorld.seal(header, nonce, body);
        VerifiedCommand accepted = receive(envelope);
        if (accepted != null) {
            assertAcceptedIsWhatWasSealed(accepted, header, body);
        }
    }

    /**
     * A well-formed header: the valid command's, with up to three fields the fuzzer picks set to values
     * near the lock's state (counter and epoch around the lock's, times around the lock's clock and the
     * valid command's times, where the boundaries are) or to anything.
     */
    private static byte[] header(FuzzedDataProvider data) {
        CommandHeader.Builder header;
        try {
            header = CommandHeader.parseFrom(FuzzWorld.HEADER).toBuilder();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
        int changes = data.consumeInt(0, 3);
        for (int i = 0; i < changes; i++) {
            switch (data.consumeInt(0, 9)) {
                case 0 -> header.setVersion(data.consumeBoolean() ? data.consumeInt(0, 2) : data.consumeInt());
                case 1 -> header.setLockId(data.consumeString(40));
                case 2 -> header.setLockAgreementKeyId(data.consumeString(24));
                case 3 -> header.setPlatformSigningKeyId(data.consumeString(24));
                case 4 -> header.setPlatformAgreementKeyId(data.consumeString(24));
                case 5 -> header.setKeyEpoch(data.consumeBoolean() ? KEY_EPOCH + data.consumeInt(-1, 1) : data.consumeInt());
                case 6 -> header.setCounter(data.consumeBoolean() ? LAST_ACCEPTED + data.consumeInt(-2, 2) : data.consumeLong());
                case 7 -> header.setCommandId(com.google.protobuf.ByteString.copyFrom(data.consumeBytes(data.consumeInt(0, 20))));
                case 8 -> header.setIssuedAtUnixMs(time(header.getIssuedAtUnixMs(), data));
                default -> header.setExpiresAtUnixMs(time(header.getExpiresAtUnixMs(), data));
            }
        }
        return header.build().toByteArray();
    }

    /** A time near {@code current}, near the lock's clock, or anything (milliseconds). */
    private static long time(long current, FuzzedDataProvider data) {
        long window = MAX_LIFETIME.toMillis() + SKEW.toMillis();
        return switch (data.consumeInt(0, 2)) {
            case 0 -> current + data.consumeLong(-window, window);
            case 1 -> LOCK_NOW.toEpochMilli() + data.consumeLong(-2 * window, 2 * window);
            default -> data.consumeLong();
        };
    }

    /** A well-formed body: any action number, usually with a requester. */
    private static byte[] body(FuzzedDataProvider data) {
        CommandBody.Builder body = CommandBody.newBuilder().setActionValue(data.consumeBoolean() ? data.consumeInt(0, 3) : data.consumeInt());
        if (data.consumeInt(0, 3) != 0) {
            body.setRequester(dev.portcullis.lock.protocol.wire.Attribution.newBuilder()
                    .setOrganizationId(data.consumeString(40))
                    .setSubjectId(data.consumeString(40))
                    .setMethod(data.consumeString(10))
                    .setActionAttemptId(data.consumeString(40)));
        }
        return body.build().toByteArray();
    }

    /** epoch || counter as the header claims them, or the valid command's nonce if the header does not parse. */
    private static byte[] impliedNonce(byte[] header) {
        try {
            CommandHeader parsed = CommandHeader.parseFrom(header);
            return CommandKey.nonce(parsed.getKeyEpoch(), parsed.getCounter());
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            return FuzzWorld.NONCE.clone();
        }
    }

    /**
     * Hands {@code received} to a lock in the vectors' state and checks the outcome. Returns the verified
     * command if it was accepted, null if it was refused.
     */
    static VerifiedCommand receive(byte[] received) {
        LockVerifier lock = FuzzWorld.freshLock();
        VerifiedCommand accepted;
        RejectionReason reason;
        try {
            accepted = lock.verify(received);
            reason = null;
        } catch (CommandRejectedException e) {
            accepted = null;
            reason = e.reason();
            assertNotNull(reason);
            assertEquals(LAST_ACCEPTED, lock.lastAcceptedCounter(), "a refused command moved the counter");
        }
        // Logs and events read the claimed id of anything received; that must never throw either.
        LockVerifier.claimedCommandId(received);
        if (accepted != null) {
            assertEquals(accepted.counter(), lock.lastAcceptedCounter());
            assertArrayEquals(Encoding.sha256(received), accepted.commandHash());
            try {
                lock.verify(received);
                fail("the same envelope was accepted twice");
            } catch (CommandRejectedException e) {
                assertEquals(RejectionReason.REPLAYED_COUNTER, e.reason());
            }
            return accepted;
        }
        // Whatever was received, the lock signs a refusal bound to its hash, and the platform accepts that refusal.
        byte[] refusal = lock.refuse(received, reason, REFUSAL_TIME);
        try {
            Acknowledgement ack = new AckVerifier().verify(refusal, Encoding.sha256(received), FuzzWorld.LOCK);
            assertEquals(Acknowledgement.Outcome.REFUSED, ack.outcome());
            assertEquals(reason, ack.reason());
        } catch (AckRejectedException e) {
            throw new AssertionError("the platform rejected the lock's own refusal: " + e.getMessage(), e);
        }
        return null;
    }

    /** Bytes the platform did not sign can be accepted only if they are exactly the valid envelope. */
    private static void receiveUnsigned(byte[] received) {
        if (receive(received) != null) {
            assertArrayEquals(COMMAND.envelope(), received, "accepted an envelope the platform never sealed");
        }
    }

    /** What an accepted, fuzzer-chosen header and body must have said, checked against the lock's state. */
    private static void assertAcceptedIsWhatWasSealed(VerifiedCommand accepted, byte[] headerBytes, byte[] bodyBytes) {
        try {
            CommandHeader header = CommandHeader.parseFrom(headerBytes);
            CommandBody body = CommandBody.parseFrom(bodyBytes);
            assertArrayEquals(headerBytes, header.toByteArray(), "accepted a non-canonical header");
            assertArrayEquals(bodyBytes, body.toByteArray(), "accepted a non-canonical body");
            assertEquals(Encoding.PROTOCOL_VERSION, header.getVersion());
            assertEquals(LOCK_ID, header.getLockId());
            assertEquals(FuzzWorld.LOCK_KEYS.agreementKeyId(), header.getLockAgreementKeyId());
            assertEquals(KEY_EPOCH, header.getKeyEpoch());
            assertEquals(header.getCounter(), accepted.counter());
            assertTrue(accepted.counter() > LAST_ACCEPTED, "accepted a counter not above the last accepted");
            assertEquals(Encoding.uuid(header.getCommandId().toByteArray()), accepted.commandId());
            assertEquals(LockCommandAction.fromWire(body.getAction()), accepted.action());
            assertTrue(body.hasRequester());
            Instant issuedAt = Instant.ofEpochMilli(header.getIssuedAtUnixMs());
            Instant expiresAt = Instant.ofEpochMilli(header.getExpiresAtUnixMs());
            assertEquals(issuedAt, accepted.issuedAt());
            assertEquals(expiresAt, accepted.expiresAt());
            assertTrue(expiresAt.isAfter(LOCK_NOW), "accepted an expired command");
            assertTrue(!issuedAt.isAfter(LOCK_NOW.plus(SKEW)), "accepted a command issued too far in the future");
            assertTrue(Duration.between(issuedAt, expiresAt).compareTo(MAX_LIFETIME) <= 0, "accepted a lifetime above the maximum");
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError("accepted a header or body that does not parse", e);
        }
    }
}
