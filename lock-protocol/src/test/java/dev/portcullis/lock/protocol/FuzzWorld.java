package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.TestVectors.ACK_TIME;
import static dev.portcullis.lock.protocol.TestVectors.COUNTER;
import static dev.portcullis.lock.protocol.TestVectors.EXPIRES_AT;
import static dev.portcullis.lock.protocol.TestVectors.ISSUED_AT;
import static dev.portcullis.lock.protocol.TestVectors.KEY_EPOCH;
import static dev.portcullis.lock.protocol.TestVectors.LAST_ACCEPTED;
import static dev.portcullis.lock.protocol.TestVectors.LOCK_ID;
import static dev.portcullis.lock.protocol.TestVectors.LOCK_NOW;
import static dev.portcullis.lock.protocol.TestVectors.REFUSAL_TIME;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.wire.CommandEnvelope;
import dev.portcullis.lock.protocol.wire.SignedAck;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * The fixed world the fuzz tests run in: the known-answer vectors' public test keys and lock state
 * (docs/lock-protocol.md, "Test vectors"), so a corpus entry means the same thing in every run. It
 * holds the one valid command the fuzzer may ever see accepted, the two acknowledgements the lock
 * signed for it, and the mutation and sealing helpers the fuzz targets share.
 */
final class FuzzWorld {

    static final InMemoryPlatformKeys PLATFORM = TestVectors.platformKeys();
    static final InMemoryLockKeys LOCK_KEYS = TestVectors.lockKeys();
    static final LockIdentity LOCK = TestVectors.lockIdentity(LOCK_KEYS);
    static final TrustedPlatformKeys TRUSTED = new TrustedPlatformKeys(PLATFORM.signingPublicKey(), PLATFORM.agreementPublicKey());

    /** The vectors' command: UNLOCK, counter 42, accepted by a {@link #freshLock()}. */
    static final SealedCommand COMMAND = new CommandBuilder(PLATFORM).seal(TestVectors.spec(COUNTER, ISSUED_AT, EXPIRES_AT), LOCK);
    private static final byte[] COMMAND_KEY = CommandKey.derive(PLATFORM.agree(LOCK_KEYS.agreementPublicKey()), LOCK_ID,
            PLATFORM.agreementKeyId(), LOCK_KEYS.agreementKeyId(), KEY_EPOCH);
    static final byte[] HEADER;
    static final byte[] NONCE;
    static final byte[] BODY;
    /** The lock's signed EXECUTED acknowledgement of {@link #COMMAND}, and its signed refusal of the replay. */
    static final byte[] EXECUTED_ACK;
    static final byte[] REFUSED_ACK;

    static {
        try {
            CommandEnvelope parts = CommandEnvelope.parseFrom(COMMAND.envelope());
            HEADER = parts.getHeader().toByteArray();
            NONCE = parts.getNonce().toByteArray();
            BODY = AesGcm.open(commandKey(), NONCE, HEADER, parts.getCiphertext().toByteArray());
            LockVerifier lock = freshLock();
            EXECUTED_ACK = lock.acknowledge(lock.verify(COMMAND.envelope()), ACK_TIME);
            REFUSED_ACK = lock.refuse(COMMAND.envelope(), RejectionReason.REPLAYED_COUNTER, REFUSAL_TIME);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private FuzzWorld() {
    }

    /** A lock in the vectors' state (epoch 3, last accepted counter 41, clock at issue + 1 s): it accepts {@link #COMMAND} once. */
    static LockVerifier freshLock() {
        return TestVectors.lock(LOCK_KEYS, TRUSTED, LOCK_ID, KEY_EPOCH, LAST_ACCEPTED, LOCK_NOW);
    }

    /** The command key the platform and the lock share in the vectors' epoch (derived once: X25519 is the slow part). */
    static byte[] commandKey() {
        return COMMAND_KEY.clone();
    }

    /**
     * An envelope the real platform keys sealed and signed, whatever {@code header}, {@code nonce} and
     * {@code body} say: the lock's signature check passes, so every later check is reached.
     */
    static byte[] seal(byte[] header, byte[] nonce, byte[] body) {
        byte[] ciphertext = AesGcm.seal(commandKey(), nonce, header, body);
        return Fixture.assemble(header, nonce, ciphertext, PLATFORM.sign(Encoding.commandSignedBytes(header, nonce, ciphertext)));
    }

    /** A SignedAck whose signature is the real lock key's over {@code ack}, whatever {@code ack} says. */
    static byte[] signAck(byte[] ack) {
        return SignedAck.newBuilder()
                .setAck(ByteString.copyFrom(ack))
                .setSignature(ByteString.copyFrom(LOCK_KEYS.sign(Encoding.ackSignedBytes(ack))))
                .build()
                .toByteArray();
    }

    /**
     * {@code original} after up to eight edits the fuzzer chooses: flip bits, overwrite a byte, insert
     * bytes, delete a run, or truncate. Length fields, tags and varints are all just bytes to it.
     */
    static byte[] mutate(byte[] original, FuzzedDataProvider data) {
        byte[] bytes = original.clone();
        int edits = data.consumeInt(0, 8);
        for (int i = 0; i < edits; i++) {
            int kind = bytes.length == 0 ? 2 : data.consumeInt(0, 4);
            switch (kind) {
                case 0 -> bytes[data.consumeInt(0, bytes.length - 1)] ^= (byte) data.consumeInt(1, 255);
                case 1 -> bytes[data.consumeInt(0, bytes.length - 1)] = data.consumeByte();
                case 2 -> {
                    int at = data.consumeInt(0, bytes.length);
                    byte[] inserted = data.consumeBytes(data.consumeInt(1, 16));
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(bytes, 0, at);
                    out.writeBytes(inserted);
                    out.write(bytes, at, bytes.length - at);
                    bytes = out.toByteArray();
                }
                case 3 -> {
                    int at = data.consumeInt(0, bytes.length - 1);
                    int end = Math.min(bytes.length, at + data.consumeInt(1, 16));
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    out.write(bytes, 0, at);
                    out.write(bytes, end, bytes.length - end);
                    bytes = out.toByteArray();
                }
                default -> bytes = Arrays.copyOf(bytes, data.consumeInt(0, bytes.length - 1));
            }
        }
        return bytes;
    }
}
