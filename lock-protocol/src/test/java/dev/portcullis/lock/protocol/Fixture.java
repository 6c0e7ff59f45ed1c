package dev.portcullis.lock.protocol;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.wire.Action;
import dev.portcullis.lock.protocol.wire.CommandBody;
import dev.portcullis.lock.protocol.wire.CommandEnvelope;
import dev.portcullis.lock.protocol.wire.CommandHeader;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.UnaryOperator;

/** One platform, one lock enrolled at epoch 1, a fixed lock clock; helpers to seal and to forge. */
final class Fixture {

    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    static final Duration SKEW = Duration.ofSeconds(30);
    static final Duration MAX_LIFETIME = Duration.ofSeconds(60);
    static final String LOCK_ID = "7f1c2e9a-0b7e-4c4e-9a55-3f1d2b8c6a10";

    final InMemoryPlatformKeys platform = InMemoryPlatformKeys.generate();
    final InMemoryLockKeys lockKeys = InMemoryLockKeys.generate();
    final LockIdentity lock = new LockIdentity(LOCK_ID, lockKeys.signingPublicKey(), lockKeys.agreementPublicKey(), 1);
    final CommandBuilder builder = new CommandBuilder(platform);
    final CounterStore counters;
    final LockVerifier verifier;

    Fixture() {
        this(new InMemoryCounterStore());
    }

    Fixture(CounterStore counters) {
        this.counters = counters;
        this.verifier = verifierWith(new TrustedPlatformKeys(platform.signingPublicKey(), platform.agreementPublicKey()));
    }

    LockVerifier verifierWith(TrustedPlatformKeys trusted) {
        return new LockVerifier(LOCK_ID, 1, lockKeys, trusted, counters, Clock.fixed(NOW, ZoneOffset.UTC), SKEW, MAX_LIFETIME);
    }

    static CommandSpec spec(long counter) {
        return spec(counter, NOW.minusSeconds(1), NOW.plusSeconds(4));
    }

    static CommandSpec spec(long counter, Instant issuedAt, Instant expiresAt) {
        return new CommandSpec(UUID.randomUUID(), LockCommandAction.UNLOCK, counter, issuedAt, expiresAt,
                new Attribution("org-1", "tenant-1", "app", UUID.randomUUID().toString()));
    }

    SealedCommand seal(long counter) {
        return builder.seal(spec(counter), lock);
    }

    /**
     * Takes a sealed envelope apart, changes its header, and re-encrypts and re-signs it with the real
     * platform keys: a validly signed envelope whose header says what the test wants.
     */
    byte[] resign(SealedCommand sealed, UnaryOperator<CommandHeader.Builder> change) throws Exception {
        CommandEnvelope envelope = CommandEnvelope.parseFrom(sealed.envelope());
        CommandHeader original = CommandHeader.parseFrom(envelope.getHeader());
        byte[] shared = platform.agree(lockKeys.agreementPublicKey());
        byte[] key = CommandKey.derive(shared, original.getLockId(), original.getPlatformAgreementKeyId(),
                original.getLockAgreementKeyId(), original.getKeyEpoch());
        byte[] body = AesGcm.open(key, envelope.getNonce().toByteArray(), envelope.getHeader().toByteArray(),
                envelope.getCiphertext().toByteArray());
        byte[] header = change.apply(original.toBuilder()).build().toByteArray();
        CommandHeader changed = CommandHeader.parseFrom(header);
        byte[] nonce = CommandKey.nonce(changed.getKeyEpoch(), changed.getCounter());
        byte[] ciphertext = AesGcm.seal(key, nonce, header, body);
        return assemble(header, nonce, ciphertext, platform.sign(Encoding.commandSignedBytes(header, nonce, ciphertext)));
    }

    /** A valid header for this fixture's lock, to be changed by a test. */
    CommandHeader.Builder header(long counter) {
        return CommandHeader.newBuilder()
                .setVersion(Encoding.PROTOCOL_VERSION)
                .setLockId(LOCK_ID)
                .setPlatformSigningKeyId(platform.signingKeyId())
                .setPlatformAgreementKeyId(platform.agreementKeyId())
                .setLockAgreementKeyId(lockKeys.agreementKeyId())
                .setKeyEpoch(1)
                .setCounter(counter)
                .setCommandId(ByteString.copyFrom(Encoding.uuid(UUID.randomUUID())))
                .setIssuedAtUnixMs(NOW.minusSeconds(1).toEpochMilli())
                .setExpiresAtUnixMs(NOW.plusSeconds(4).toEpochMilli());
    }

    /** A valid body (UNLOCK with an attribution). */
    static CommandBody.Builder body() {
        return CommandBody.newBuilder()
                .setAction(Action.ACTION_UNLOCK)
                .setRequester(dev.portcullis.lock.protocol.wire.Attribution.newBuilder()
                        .setOrganizationId("org-1").setSubjectId("tenant-1").setMethod("app").setActionAttemptId("attempt-1"));
    }

    /** The command key this fixture's platform and lock share in epoch 1. */
    byte[] commandKey() {
        byte[] shared = platform.agree(lockKeys.agreementPublicKey());
        return CommandKey.derive(shared, LOCK_ID, platform.agreementKeyId(), lockKeys.agreementKeyId(), 1);
    }

    /**
     * Encrypts {@code body} under the real command key with {@code nonce} and {@code aad}, and signs
     * {@code header}, {@code nonce} and the ciphertext with the real platform key: whatever the bytes say,
     * the envelope carries a valid platform signature.
     */
    byte[] forge(byte[] header, byte[] nonce, byte[] aad, byte[] body) {
        byte[] ciphertext = AesGcm.seal(commandKey(), nonce, aad, body);
        return assemble(header, nonce, ciphertext, platform.sign(Encoding.commandSignedBytes(header, nonce, ciphertext)));
    }

    /** {@link #forge} with the nonce the header implies and the header as AAD (a correctly sealed envelope). */
    byte[] forge(byte[] header, byte[] body) throws Exception {
        CommandHeader parsed = CommandHeader.parseFrom(header);
        return forge(header, CommandKey.nonce(parsed.getKeyEpoch(), parsed.getCounter()), header, body);
    }

    static byte[] assemble(byte[] header, byte[] nonce, byte[] ciphertext, byte[] signature) {
        return CommandEnvelope.newBuilder()
                .setHeader(ByteString.copyFrom(header))
                .setNonce(ByteString.copyFrom(nonce))
                .setCiphertext(ByteString.copyFrom(ciphertext))
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
    }

    /** Platform keys that claim one agreement key id but agree with another key (a misconfigured or lying platform). */
    static PlatformKeys claimingAgreementKey(PlatformKeys real, PlatformKeys claimed) {
        return composed(real, real, claimed, real);
    }

    /** Platform keys that claim another platform's key ids but hold only their own private keys (a forger). */
    static PlatformKeys impersonating(PlatformKeys forger, PlatformKeys claimed) {
        return composed(claimed, forger, claimed, forger);
    }

    /** Key ids and public keys from the claimed sides, private operations from the holders. */
    private static PlatformKeys composed(PlatformKeys signingClaim, PlatformKeys signer, PlatformKeys agreementClaim,
            PlatformKeys agreer) {
        return new PlatformKeys() {
            @Override
            public String signingKeyId() {
                return signingClaim.signingKeyId();
            }

            @Override
            public PublicKey signingPublicKey() {
                return signingClaim.signingPublicKey();
            }

            @Override
            public byte[] sign(byte[] message) {
                return signer.sign(message);
            }

            @Override
            public String agreementKeyId() {
                return agreementClaim.agreementKeyId();
            }

            @Override
            public PublicKey agreementPublicKey() {
                return agreementClaim.agreementPublicKey();
            }

            @Override
            public byte[] agree(PublicKey peerX25519) {
                return agreer.agree(peerX25519);
            }
        };
    }

    static byte[] flip(byte[] bytes, int position) {
        return flip(bytes, position, 0x01);
    }

    static byte[] flip(byte[] bytes, int position, int mask) {
        byte[] copy = Arrays.copyOf(bytes, bytes.length);
        copy[position] ^= (byte) mask;
        return copy;
    }

    /** Where {@code needle} starts in {@code haystack}; fails if it is not there. */
    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    /** Runs {@code verify} and returns the rejection reason; fails the test if the command was accepted. */
    static RejectionReason rejection(LockVerifier verifier, byte[] envelope) {
        try {
            VerifiedCommand accepted = verifier.verify(envelope);
            throw new AssertionError("accepted " + accepted);
        } catch (CommandRejectedException e) {
            return e.reason();
        }
    }
}
