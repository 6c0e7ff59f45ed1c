package dev.portcullis.lock.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.lock.protocol.FirmwareRejectedException.Reason;
import dev.portcullis.lock.protocol.wire.FirmwareChannel;
import dev.portcullis.lock.protocol.wire.SignedFirmwareManifest;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * A signed firmware manifest whose signature and structure have been verified (docs/lock-protocol.md,
 * "Firmware manifests"). A lock calls {@link #verify} before it downloads an image and {@link #checkImage}
 * before it installs one; the registry calls {@link #parse} when an operator uploads a manifest.
 *
 * @param signed the signed manifest exactly as received (what is stored and forwarded)
 */
public record FirmwareManifest(String signingKeyId, String model, FirmwareVersion version, Channel channel, byte[] imageSha256,
        long imageSize, Optional<FirmwareVersion> minUpgradeFrom, Optional<FirmwareVersion> maxUpgradeFrom, Instant releasedAt,
        byte[] signed) {

    /** Domain of the firmware signing key's signature over a manifest. */
    static final String SIGNATURE_DOMAIN = "portcullis/firmware-manifest/v1";
    static final int FORMAT_VERSION = 1;
    /** A valid signed manifest is a few hundred bytes. */
    public static final int MAX_SIGNED_BYTES = 4096;
    private static final int MAX_MODEL_LENGTH = 128;

    /** Release channels. A manifest naming any other channel is refused. */
    public enum Channel {
        STABLE(FirmwareChannel.FIRMWARE_CHANNEL_STABLE),
        BETA(FirmwareChannel.FIRMWARE_CHANNEL_BETA),
        SECURITY(FirmwareChannel.FIRMWARE_CHANNEL_SECURITY);

        private final FirmwareChannel wire;

        Channel(FirmwareChannel wire) {
            this.wire = wire;
        }

        static Optional<Channel> fromWire(int value) {
            return Arrays.stream(values()).filter(channel -> channel.wire.getNumber() == value).findFirst();
        }
    }

    /** What a firmware vendor signs. */
    public record Spec(String model, String version, Channel channel, byte[] imageSha256, long imageSize, String minUpgradeFrom,
            String maxUpgradeFrom, Instant releasedAt) {
    }

    public FirmwareManifest {
        imageSha256 = imageSha256.clone();
        signed = signed.clone();
    }

    @Override
    public byte[] imageSha256() {
        return imageSha256.clone();
    }

    @Override
    public byte[] signed() {
        return signed.clone();
    }

    /**
     * The lock-side check: the manifest is signed by {@code trustedKey}, built for {@code model}, newer than
     * {@code currentVersion} and allowed to upgrade from it. Check the image with {@link #checkImage} before
     * installing it.
     *
     * @param currentVersion the version the lock runs (a dotted numeric version)
     */
    public static FirmwareManifest verify(byte[] signedManifest, PublicKey trustedKey, String model, String currentVersion)
            throws FirmwareRejectedException {
        FirmwareVersion current = FirmwareVersion.parse(currentVersion);
        FirmwareManifest manifest = parse(signedManifest, trustedKey);
        if (!manifest.model.equals(model)) {
            throw new FirmwareRejectedException(Reason.WRONG_MODEL, "built for model " + manifest.model + ", not " + model);
        }
        if (manifest.version.compareTo(current) <= 0) {
            throw new FirmwareRejectedException(Reason.DOWNGRADE, "version " + manifest.version + " is not newer than " + current);
        }
        if (manifest.minUpgradeFrom.isPresent() && current.compareTo(manifest.minUpgradeFrom.get()) < 0
                || manifest.maxUpgradeFrom.isPresent() && current.compareTo(manifest.maxUpgradeFrom.get()) > 0) {
            throw new FirmwareRejectedException(Reason.UPGRADE_PATH, "cannot upgrade from " + current);
        }
        return manifest;
    }

    /**
     * Checks the signature (by {@code trustedKey}, over the exact received bytes) and the structure, nothing
     * about any particular lock: what the registry checks when a manifest is uploaded.
     */
    public static FirmwareManifest parse(byte[] signedManifest, PublicKey trustedKey) throws FirmwareRejectedException {
        if (signedManifest == null || signedManifest.length == 0 || signedManifest.length > MAX_SIGNED_BYTES) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "signed manifest missing or larger than " + MAX_SIGNED_BYTES + " bytes");
        }
        SignedFirmwareManifest envelope;
        try {
            envelope = SignedFirmwareManifest.parseFrom(signedManifest);
        } catch (InvalidProtocolBufferException e) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "not a SignedFirmwareManifest");
        }
        if (!envelope.getUnknownFields().asMap().isEmpty() || !Arrays.equals(envelope.toByteArray(), signedManifest)) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "signed manifest is not canonically encoded");
        }
        byte[] manifestBytes = envelope.getManifest().toByteArray();
        if (!KeyMaterial.verify(trustedKey, signedBytes(manifestBytes), envelope.getSignature().toByteArray())) {
            throw new FirmwareRejectedException(Reason.BAD_SIGNATURE, "the signature does not verify with the firmware signing key");
        }
        dev.portcullis.lock.protocol.wire.FirmwareManifest manifest;
        try {
            manifest = dev.portcullis.lock.protocol.wire.FirmwareManifest.parseFrom(manifestBytes);
        } catch (InvalidProtocolBufferException e) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "not a FirmwareManifest");
        }
        if (!manifest.getUnknownFields().asMap().isEmpty() || !Arrays.equals(manifest.toByteArray(), manifestBytes)) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "manifest is not canonically encoded");
        }
        if (manifest.getFormatVersion() != FORMAT_VERSION) {
            throw new FirmwareRejectedException(Reason.UNSUPPORTED_VERSION,
                    "manifest format " + Integer.toUnsignedString(manifest.getFormatVersion()));
        }
        if (!manifest.getSigningKeyId().equals(KeyIds.of(trustedKey))) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "the manifest names another signing key");
        }
        String model = manifest.getModel();
        if (model.isBlank() || model.length() > MAX_MODEL_LENGTH) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "model must be 1 to " + MAX_MODEL_LENGTH + " characters");
        }
        Channel channel = Channel.fromWire(manifest.getChannelValue()).orElseThrow(() -> new FirmwareRejectedException(
                Reason.UNKNOWN_CHANNEL, "channel " + manifest.getChannelValue()));
        if (manifest.getImageSha256().size() != 32 || manifest.getImageSize() <= 0) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "image digest must be 32 bytes and image size positive");
        }
        FirmwareVersion version = version(manifest.getFirmwareVersion(), "firmware_version").orElseThrow(
                () -> new FirmwareRejectedException(Reason.MALFORMED, "firmware_version is required"));
        Optional<FirmwareVersion> min = version(manifest.getMinUpgradeFrom(), "min_upgrade_from");
        Optional<FirmwareVersion> max = version(manifest.getMaxUpgradeFrom(), "max_upgrade_from");
        if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
            throw new FirmwareRejectedException(Reason.MALFORMED, "min_upgrade_from is newer than max_upgrade_from");
        }
        return new FirmwareManifest(manifest.getSigningKeyId(), model, version, channel, manifest.getImageSha256().toByteArray(),
                manifest.getImageSize(), min, max, Instant.ofEpochMilli(manifest.getReleasedAtUnixMs()), signedManifest);
    }

    /** The image about to be installed has exactly the manifest's size and SHA-256 digest. */
    public void checkImage(byte[] image) throws FirmwareRejectedException {
        if (image == null || image.length != imageSize) {
            throw new FirmwareRejectedException(Reason.DIGEST_MISMATCH, "image size differs from the manifest's");
        }
        if (!MessageDigest.isEqual(Encoding.sha256(image), imageSha256)) {
            throw new FirmwareRejectedException(Reason.DIGEST_MISMATCH, "image SHA-256 differs from the manifest's");
        }
    }

    /** Signs a manifest with the firmware signing key (the vendor's release tooling; a lock never signs). */
    public static byte[] sign(Spec spec, KeyPair firmwareSigningKey) {
        if (!PublicKeys.isEd25519(firmwareSigningKey.getPublic())) {
            throw new IllegalArgumentException("the firmware signing key must be Ed25519");
        }
        dev.portcullis.lock.protocol.wire.FirmwareManifest.Builder manifest = dev.portcullis.lock.protocol.wire.FirmwareManifest.newBuilder()
                .setFormatVersion(FORMAT_VERSION)
                .setSigningKeyId(KeyIds.of(firmwareSigningKey.getPublic()))
                .setModel(spec.model())
                .setFirmwareVersion(spec.version())
                .setChannel(spec.channel().wire)
                .setImageSha256(ByteString.copyFrom(spec.imageSha256()))
                .setImageSize(spec.imageSize())
                .setReleasedAtUnixMs(spec.releasedAt().toEpochMilli());
        if (spec.minUpgradeFrom() != null) {
            manifest.setMinUpgradeFrom(spec.minUpgradeFrom());
        }
        if (spec.maxUpgradeFrom() != null) {
            manifest.setMaxUpgradeFrom(spec.maxUpgradeFrom());
        }
        byte[] manifestBytes = manifest.build().toByteArray();
        byte[] signature = KeyMaterial.sign(firmwareSigningKey.getPrivate(), signedBytes(manifestBytes));
        return SignedFirmwareManifest.newBuilder()
                .setManifest(ByteString.copyFrom(manifestBytes))
                .setSignature(ByteString.copyFrom(signature))
                .build().toByteArray();
    }

    /** The SHA-256 of an image, as a manifest carries it. */
    public static byte[] sha256(byte[] image) {
        return Encoding.sha256(image);
    }

    /** The exact bytes the firmware signing key signs: LP("portcullis/firmware-manifest/v1") || LP(manifest). */
    static byte[] signedBytes(byte[] manifest) {
        return Encoding.lengthPrefixed(Encoding.utf8(SIGNATURE_DOMAIN), manifest);
    }

    private static Optional<FirmwareVersion> version(String text, String field) throws FirmwareRejectedException {
        if (text.isEmpty()) {
            return Optional.empty();
        }
        if (!FirmwareVersion.isValid(text)) {
            throw new FirmwareRejectedException(Reason.MALFORMED, field + " is not a dotted numeric version");
        }
        return Optional.of(FirmwareVersion.parse(text));
    }
}
