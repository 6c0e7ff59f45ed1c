package dev.portcullis.lock.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.lock.protocol.wire.Ack;
import dev.portcullis.lock.protocol.wire.CommandBody;
import dev.portcullis.lock.protocol.wire.CommandEnvelope;
import dev.portcullis.lock.protocol.wire.CommandHeader;
import dev.portcullis.lock.protocol.wire.Outcome;
import dev.portcullis.lock.protocol.wire.SignedAck;
import java.io.IOException;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import javax.crypto.AEADBadTagException;

/**
 * Lock side: decides whether a command envelope may move this lock, and signs the answer.
 *
 * <p>The checks run in this order (docs/lock-protocol.md, "What a lock checks"); the first failure is
 * the reason: parse (size, canonical envelope and header, field sizes) → version → platform key ids
 * not revoked and known → platform signature over the exact received header, nonce and ciphertext →
 * nonce matches (epoch, counter) → lock id → lock agreement key id → key epoch → AES-GCM decryption
 * and a canonical body with a known action → counter strictly greater than the last accepted in this
 * epoch → expiry after issue → lifetime ≤ maximum → not issued in the future beyond the allowed skew →
 * not expired. Only when every check passed is the counter advanced (durably) and a
 * {@link VerifiedCommand} returned. {@code verify}, {@code acknowledge} and {@code refuse} are
 * serialized, so concurrent deliveries cannot both pass with one counter.
 */
public final class LockVerifier {

    /** Envelopes larger than this are refused before parsing. */
    public static final int MAX_ENVELOPE_BYTES = 8 * 1024;

    private final String lockId;
    private final int keyEpoch;
    private final LockKeys keys;
    private final CounterStore counters;
    private final Clock clock;
    private final Duration allowedSkew;
    private final Duration maxLifetime;
    private TrustedPlatformKeys trusted;

    /**
     * @param lockId      this lock's id
     * @param keyEpoch    the key epoch of this lock's current enrolment
     * @param keys        this lock's keys
     * @param trusted     the platform keys it trusts (from enrolment)
     * @param counters    durable anti-replay state
     * @param clock       the lock's clock
     * @param allowedSkew how far in the future (lock clock) a command's issue time may be
     * @param maxLifetime the longest expiry − issue time the lock accepts
     */
    public LockVerifier(String lockId, int keyEpoch, LockKeys keys, TrustedPlatformKeys trusted, CounterStore counters, Clock clock,
            Duration allowedSkew, Duration maxLifetime) {
        if (lockId == null || lockId.isBlank()) {
            throw new IllegalArgumentException("lock id is required");
        }
        if (keyEpoch < 0) {
            throw new IllegalArgumentException("key epoch must not be negative");
        }
        if (allowedSkew.isNegative() || maxLifetime.isNegative() || maxLifetime.isZero()) {
            throw new IllegalArgumentException("skew must be >= 0 and the maximum lifetime > 0");
        }
        this.lockId = lockId;
        this.keyEpoch = keyEpoch;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.trusted = Objects.requireNonNull(trusted, "trusted");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.allowedSkew = allowedSkew;
        this.maxLifetime = maxLifetime;
    }

    public String lockId() {
        return lockId;
    }

    public int keyEpoch() {
        return keyEpoch;
    }

    public synchronized TrustedPlatformKeys trustedKeys() {
        return trusted;
    }

    /** Replaces the trusted platform key set (rotation, revocation). */
    public synchronized void updateTrustedKeys(TrustedPlatformKeys keys) {
        this.trusted = Objects.requireNonNull(keys, "keys");
    }

    /** The highest counter accepted in this lock's key epoch. */
    public synchronized long lastAcceptedCounter() {
        return counters.lastAccepted(keyEpoch);
    }

    /**
     * Verifies {@code envelope}; on success the counter has been durably advanced and the caller may
     * actuate. On failure nothing changed.
     */
    public synchronized VerifiedCommand verify(byte[] envelope) throws CommandRejectedException {
        // 1. Parse: size, canonical envelope encoding, field sizes, header.
        if (envelope == null || envelope.length == 0 || envelope.length > MAX_ENVELOPE_BYTES) {
            throw reject(RejectionReason.MALFORMED, "envelope missing or larger than " + MAX_ENVELOPE_BYTES + " bytes");
        }
        CommandEnvelope parsed = parseEnvelope(envelope);
        byte[] headerBytes = parsed.getHeader().toByteArray();
        byte[] nonce = parsed.getNonce().toByteArray();
        byte[] ciphertext = parsed.getCiphertext().toByteArray();
        byte[] signature = parsed.getSignature().toByteArray();
        if (nonce.length != Encoding.NONCE_BYTES || ciphertext.length < Encoding.GCM_TAG_BYTES
                || signature.length != Encoding.ED25519_SIGNATURE_BYTES) {
            throw reject(RejectionReason.MALFORMED, "nonce, ciphertext or signature has the wrong size");
        }
        CommandHeader header = parseHeader(headerBytes);
        if (header.getCommandId().size() != Encoding.UUID_BYTES) {
            throw reject(RejectionReason.MALFORMED, "command id is not 16 bytes");
        }

        // 2. Version.
        if (header.getVersion() != Encoding.PROTOCOL_VERSION) {
            throw reject(RejectionReason.UNSUPPORTED_VERSION, "version " + Integer.toUnsignedString(header.getVersion()));
        }

        // 3. Platform keys named in the header: not revoked, and trusted.
        String signingKeyId = header.getPlatformSigningKeyId();
        String agreementKeyId = header.getPlatformAgreementKeyId();
        if (trusted.isRevoked(signingKeyId) || trusted.isRevoked(agreementKeyId)) {
            throw reject(RejectionReason.REVOKED_PLATFORM_KEY, "platform key revoked");
        }
        PublicKey platformSigningKey = trusted.signingKey(signingKeyId)
                .orElseThrow(() -> reject(RejectionReason.UNKNOWN_PLATFORM_KEY, "unknown platform signing key " + signingKeyId));
        PublicKey platformAgreementKey = trusted.agreementKey(agreementKeyId)
                .orElseThrow(() -> reject(RejectionReason.UNKNOWN_PLATFORM_KEY, "unknown platform agreement key " + agreementKeyId));

        // 4. Signature over the exact received bytes.
        if (!KeyMaterial.verify(platformSigningKey, Encoding.commandSignedBytes(headerBytes, nonce, ciphertext), signature)) {
            throw reject(RejectionReason.BAD_SIGNATURE, "platform signature does not verify");
        }
        if (!Arrays.equals(nonce, CommandKey.nonce(header.getKeyEpoch(), header.getCounter()))) {
            throw reject(RejectionReason.MALFORMED, "nonce is not epoch || counter");
        }

        // 5. Addressed to this lock, this key, this epoch.
        if (!lockId.equals(header.getLockId())) {
            throw reject(RejectionReason.WRONG_LOCK, "command is for another lock");
        }
        if (!keys.agreementKeyId().equals(header.getLockAgreementKeyId())) {
            throw reject(RejectionReason.WRONG_LOCK_KEY, "command is for another agreement key of this lock");
        }
        if (header.getKeyEpoch() != keyEpoch) {
            throw reject(RejectionReason.WRONG_EPOCH, "command epoch " + Integer.toUnsignedString(header.getKeyEpoch())
                    + ", lock epoch " + keyEpoch);
        }

        // 6. Decrypt (authenticates the header again as AAD).
        CommandBody body = decrypt(platformAgreementKey, agreementKeyId, nonce, headerBytes, ciphertext);
        LockCommandAction action = LockCommandAction.fromWire(body.getAction());
        if (action == null || !body.hasRequester()) {
            throw reject(RejectionReason.MALFORMED, "body has no known action or no requester");
        }
        CredentialSpec credential = credentialOf(action, body);
        UUID credentialId = body.hasCredential() ? Encoding.uuid(body.getCredential().getCredentialId().toByteArray()) : null;

        // 7. Counter: strictly greater than the last accepted in this epoch.
        long counter = header.getCounter();
        long last = counters.lastAccepted(keyEpoch);
        if (counter <= last) {
            throw reject(RejectionReason.REPLAYED_COUNTER, "counter " + counter + " <= last accepted " + last);
        }

        // 8. Time, on the lock's clock.
        Instant issuedAt = Instant.ofEpochMilli(header.getIssuedAtUnixMs());
        Instant expiresAt = Instant.ofEpochMilli(header.getExpiresAtUnixMs());
        if (!expiresAt.isAfter(issuedAt)) {
            throw reject(RejectionReason.MALFORMED, "expires before it is issued");
        }
        if (Duration.between(issuedAt, expiresAt).compareTo(maxLifetime) > 0) {
            throw reject(RejectionReason.LIFETIME_TOO_LONG, "lifetime " + Duration.between(issuedAt, expiresAt) + " > " + maxLifetime);
        }
        Instant now = clock.instant();
        if (issuedAt.isAfter(now.plus(allowedSkew))) {
            throw reject(RejectionReason.NOT_YET_VALID, "issued " + Duration.between(now, issuedAt) + " in the future");
        }
        if (!now.isBefore(expiresAt)) {
            throw reject(RejectionReason.EXPIRED, "expired " + Duration.between(expiresAt, now) + " ago");
        }

        // 9. Everything passed: record the counter durably, then hand over for actuation.
        try {
            counters.advance(keyEpoch, counter);
        } catch (IOException | RuntimeException e) {
            throw reject(RejectionReason.INTERNAL_ERROR, "could not persist the counter: " + e.getMessage());
        }
        dev.portcullis.lock.protocol.wire.Attribution requester = body.getRequester();
        return new VerifiedCommand(Encoding.uuid(header.getCommandId().toByteArray()), action, counter, keyEpoch, issuedAt, expiresAt,
                new Attribution(requester.getOrganizationId(), requester.getSubjectId(), requester.getMethod(),
                        requester.getActionAttemptId()),
                signingKeyId, Encoding.sha256(envelope), credential, credentialId);
    }

    /** The whole credential of a PUT; null for a REMOVE (which carries the id alone, checked here) and other actions. */
    private CredentialSpec credentialOf(LockCommandAction action, CommandBody body) throws CommandRejectedException {
        if (action.isCredentialChange() != body.hasCredential()) {
            throw reject(RejectionReason.MALFORMED, "a credential goes with credential commands, and only there");
        }
        if (!body.hasCredential()) {
            return null;
        }
        dev.portcullis.lock.protocol.wire.Credential wire = body.getCredential();
        try {
            if (action == LockCommandAction.CREDENTIAL_REMOVE) {
                if (!wire.toBuilder().clearCredentialId().build().equals(dev.portcullis.lock.protocol.wire.Credential.getDefaultInstance())
                        || wire.getCredentialId().size() != Encoding.UUID_BYTES) {
                    throw new IllegalArgumentException("a removal carries the credential id only");
                }
                return null;
            }
            return CredentialSpec.fromWire(wire);
        } catch (IllegalArgumentException invalid) {
            throw reject(RejectionReason.MALFORMED, "invalid credential: " + invalid.getMessage());
        }
    }

    /** A signed acknowledgement that {@code command} was executed, at {@code lockTime} (lock clock). */
    public synchronized byte[] acknowledge(VerifiedCommand command, Instant lockTime) {
        return acknowledge(command, lockTime, null);
    }

    /**
     * A signed acknowledgement that {@code command} was executed, carrying the digest of the lock's
     * credential set after it ({@link CredentialSet#digest()}), so the platform can reconcile at once.
     */
    public synchronized byte[] acknowledge(VerifiedCommand command, Instant lockTime, byte[] credentialSetDigest) {
        Objects.requireNonNull(command, "command");
        if (command.keyEpoch() != keyEpoch) {
            throw new IllegalArgumentException("command was verified in another key epoch");
        }
        return sign(Ack.newBuilder()
                .setCommandHash(ByteString.copyFrom(command.commandHash()))
                .setOutcome(Outcome.OUTCOME_EXECUTED)
                .setCommandId(ByteString.copyFrom(Encoding.uuid(command.commandId())))
                .setCounter(command.counter())
                .setCredentialSetDigest(ByteString.copyFrom(credentialSetDigest == null ? new byte[0] : credentialSetDigest)), lockTime);
    }

    /**
     * A signed refusal of {@code receivedBytes} (whatever they are) for {@code reason}, bound to their
     * SHA-256. The command id and counter are copied from the header when it parses; they are then what
     * the sender claimed, not verified facts.
     */
    public synchronized byte[] refuse(byte[] receivedBytes, RejectionReason reason, Instant lockTime) {
        Objects.requireNonNull(reason, "reason");
        byte[] received = receivedBytes == null ? new byte[0] : receivedBytes;
        Ack.Builder ack = Ack.newBuilder()
                .setCommandHash(ByteString.copyFrom(Encoding.sha256(received)))
                .setOutcome(Outcome.OUTCOME_REFUSED)
                .setReason(reason.toWire());
        if (received.length <= MAX_ENVELOPE_BYTES) {
            try {
                CommandHeader header = CommandHeader.parseFrom(CommandEnvelope.parseFrom(received).getHeader());
                if (header.getCommandId().size() == Encoding.UUID_BYTES) {
                    ack.setCommandId(header.getCommandId());
                }
                ack.setCounter(header.getCounter());
            } catch (InvalidProtocolBufferException unparseable) {
                // Nothing to copy: the refusal is bound to the hash alone.
            }
        }
        return sign(ack, lockTime);
    }

    private byte[] sign(Ack.Builder ack, Instant lockTime) {
        byte[] ackBytes = ack
                .setVersion(Encoding.PROTOCOL_VERSION)
                .setLockId(lockId)
                .setLockSigningKeyId(keys.signingKeyId())
                .setKeyEpoch(keyEpoch)
                .setLastAcceptedCounter(counters.lastAccepted(keyEpoch))
                .setLockTimeUnixMs(Objects.requireNonNull(lockTime, "lockTime").toEpochMilli())
                .build()
                .toByteArray();
        byte[] signature = keys.sign(Encoding.ackSignedBytes(ackBytes));
        return SignedAck.newBuilder()
                .setAck(ByteString.copyFrom(ackBytes))
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
    }

    private CommandEnvelope parseEnvelope(byte[] envelope) throws CommandRejectedException {
        CommandEnvelope parsed;
        try {
            parsed = CommandEnvelope.parseFrom(envelope);
        } catch (InvalidProtocolBufferException e) {
            throw reject(RejectionReason.MALFORMED, "not a CommandEnvelope");
        }
        // One command, one byte string, one hash: anything but the canonical encoding is refused.
        if (!parsed.getUnknownFields().asMap().isEmpty() || !Arrays.equals(parsed.toByteArray(), envelope)) {
            throw reject(RejectionReason.MALFORMED, "envelope is not canonically encoded");
        }
        if (parsed.getHeader().isEmpty()) {
            throw reject(RejectionReason.MALFORMED, "no header");
        }
        return parsed;
    }

    private CommandHeader parseHeader(byte[] headerBytes) throws CommandRejectedException {
        try {
            CommandHeader header = CommandHeader.parseFrom(headerBytes);
            // The signed bytes are what count, but a header must also have exactly one reading: no
            // unknown fields, no repeated or reordered fields, minimal varints (what the builder writes).
            if (!header.getUnknownFields().asMap().isEmpty() || !Arrays.equals(header.toByteArray(), headerBytes)) {
                throw reject(RejectionReason.MALFORMED, "header is not canonically encoded");
            }
            return header;
        } catch (InvalidProtocolBufferException e) {
            throw reject(RejectionReason.MALFORMED, "not a CommandHeader");
        }
    }

    private CommandBody decrypt(PublicKey platformAgreementKey, String platformAgreementKeyId, byte[] nonce, byte[] headerBytes,
            byte[] ciphertext) throws CommandRejectedException {
        byte[] shared = null;
        byte[] key = null;
        byte[] plaintext = null;
        try {
            shared = keys.agree(platformAgreementKey);
            key = CommandKey.derive(shared, lockId, platformAgreementKeyId, keys.agreementKeyId(), keyEpoch);
            plaintext = AesGcm.open(key, nonce, headerBytes, ciphertext);
            CommandBody body = CommandBody.parseFrom(plaintext);
            if (!body.getUnknownFields().asMap().isEmpty() || !body.getRequester().getUnknownFields().asMap().isEmpty()
                    || !Arrays.equals(body.toByteArray(), plaintext)) {
                throw reject(RejectionReason.MALFORMED, "body is not canonically encoded");
            }
            return body;
        } catch (AEADBadTagException | IllegalArgumentException e) {
            throw reject(RejectionReason.DECRYPTION_FAILED, "AES-GCM authentication failed");
        } catch (InvalidProtocolBufferException e) {
            throw reject(RejectionReason.MALFORMED, "not a CommandBody");
        } finally {
            wipe(shared);
            wipe(key);
            wipe(plaintext);
        }
    }

    private static void wipe(byte[] secret) {
        if (secret != null) {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private static CommandRejectedException reject(RejectionReason reason, String detail) {
        return new CommandRejectedException(reason, detail);
    }

    /** The command id claimed by an envelope's header, if it parses (for logs and events; not verified). */
    public static UUID claimedCommandId(byte[] envelope) {
        try {
            CommandHeader header = CommandHeader.parseFrom(CommandEnvelope.parseFrom(envelope).getHeader());
            return header.getCommandId().size() == Encoding.UUID_BYTES ? Encoding.uuid(header.getCommandId().toByteArray()) : null;
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return null;
        }
    }
}
