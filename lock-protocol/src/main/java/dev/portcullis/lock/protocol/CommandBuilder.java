package dev.portcullis.lock.protocol;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.wire.CommandBody;
import dev.portcullis.lock.protocol.wire.CommandEnvelope;
import dev.portcullis.lock.protocol.wire.CommandHeader;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Platform side: seals a {@link CommandSpec} for exactly one lock (docs/lock-protocol.md, "Sealing a
 * command"). The header travels in the clear and is the AEAD's additional data; the body (action and
 * attribution) is AES-256-GCM encrypted under the lock's command key; the platform signs the header,
 * nonce and ciphertext. Thread-safe.
 */
public final class CommandBuilder {

    private final PlatformKeys platformKeys;

    public CommandBuilder(PlatformKeys platformKeys) {
        this.platformKeys = Objects.requireNonNull(platformKeys, "platformKeys");
    }

    public SealedCommand seal(CommandSpec spec, LockIdentity lock) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(lock, "lock");
        byte[] header = CommandHeader.newBuilder()
                .setVersion(Encoding.PROTOCOL_VERSION)
                .setLockId(lock.lockId())
                .setPlatformSigningKeyId(platformKeys.signingKeyId())
                .setPlatformAgreementKeyId(platformKeys.agreementKeyId())
                .setLockAgreementKeyId(lock.agreementKeyId())
                .setKeyEpoch(lock.keyEpoch())
                .setCounter(spec.counter())
                .setCommandId(ByteString.copyFrom(Encoding.uuid(spec.commandId())))
                .setIssuedAtUnixMs(spec.issuedAt().toEpochMilli())
                .setExpiresAtUnixMs(spec.expiresAt().toEpochMilli())
                .build()
                .toByteArray();
        Attribution requester = spec.requester();
        CommandBody.Builder bodyBuilder = CommandBody.newBuilder()
                .setAction(spec.action().toWire())
                .setRequester(dev.portcullis.lock.protocol.wire.Attribution.newBuilder()
                        .setOrganizationId(requester.organizationId())
                        .setSubjectId(requester.subjectId())
                        .setMethod(requester.method())
                        .setActionAttemptId(requester.actionAttemptId()));
        if (spec.action() == LockCommandAction.CREDENTIAL_PUT) {
            bodyBuilder.setCredential(spec.credential().toWire());
        } else if (spec.action() == LockCommandAction.CREDENTIAL_REMOVE) {
            // only the id: the lock needs nothing else to remove it
            bodyBuilder.setCredential(dev.portcullis.lock.protocol.wire.Credential.newBuilder()
                    .setCredentialId(com.google.protobuf.ByteString.copyFrom(Encoding.uuid(spec.credential().id()))));
        }
        byte[] body = bodyBuilder.build().toByteArray();

        byte[] nonce = CommandKey.nonce(lock.keyEpoch(), spec.counter());
        byte[] key = commandKey(lock);
        byte[] ciphertext;
        try {
            ciphertext = AesGcm.seal(key, nonce, header, body);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        byte[] signature = platformKeys.sign(Encoding.commandSignedBytes(header, nonce, ciphertext));
        byte[] envelope = CommandEnvelope.newBuilder()
                .setHeader(ByteString.copyFrom(header))
                .setNonce(ByteString.copyFrom(nonce))
                .setCiphertext(ByteString.copyFrom(ciphertext))
                .setSignature(ByteString.copyFrom(signature))
                .build()
                .toByteArray();
        return new SealedCommand(envelope, Encoding.sha256(envelope), spec.commandId(), spec.counter(), lock.keyEpoch(),
                Instant.ofEpochMilli(spec.expiresAt().toEpochMilli()));
    }

    private byte[] commandKey(LockIdentity lock) {
        byte[] shared = platformKeys.agree(lock.agreementKey());
        try {
            return CommandKey.derive(shared, lock.lockId(), platformKeys.agreementKeyId(), lock.agreementKeyId(), lock.keyEpoch());
        } finally {
            Arrays.fill(shared, (byte) 0);
        }
    }
}
