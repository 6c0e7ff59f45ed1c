package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.TestVectors.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.FirmwareRejectedException.Reason;
import dev.portcullis.lock.protocol.wire.SignedFirmwareManifest;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The lock-side check of signed firmware manifests: each refusal, and the recorded vector. */
class FirmwareManifestTest {

    /** RFC 8032 7.1 TEST 3 stands in for the firmware signing key. */
    static final String FIRMWARE_SIGNING_SEED = "c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7";
    static final String FIRMWARE_SIGNING_PUBLIC = "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025";
    static final String MODEL = "acme-deadbolt-350";
    static final byte[] IMAGE = "portcullis test firmware image 2.4.1".getBytes(StandardCharsets.UTF_8);
    static final Instant RELEASED = Instant.parse("2026-03-01T09:00:00Z");
    private static final String RESOURCE = "/vectors/firmware-manifest-v1.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final KeyPair key = TestVectors.ed25519(FIRMWARE_SIGNING_SEED);

    static FirmwareManifest.Spec spec(String version, FirmwareManifest.Channel channel, String min, String max) {
        return new FirmwareManifest.Spec(MODEL, version, channel, FirmwareManifest.sha256(IMAGE), IMAGE.length, min, max, RELEASED);
    }

    private byte[] signed() {
        return FirmwareManifest.sign(spec("2.4.1", FirmwareManifest.Channel.STABLE, "2.0", "2.4.0"), key);
    }

    @Test
    void aGenuineManifestAndImageAreAccepted() throws Exception {
        FirmwareManifest manifest = FirmwareManifest.verify(signed(), key.getPublic(), MODEL, "2.3.7");
        manifest.checkImage(IMAGE);
        assertEquals(FirmwareVersion.parse("2.4.1"), manifest.version());
        assertEquals(FirmwareManifest.Channel.STABLE, manifest.channel());
        assertEquals(KeyIds.of(key.getPublic()), manifest.signingKeyId());
        assertEquals(RELEASED, manifest.releasedAt());
        assertArrayEquals(signed(), manifest.signed());
    }

    @Test
    void everyFlippedBitIsRefused() {
        byte[] genuine = signed();
        for (int i = 0; i < genuine.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] tampered = genuine.clone();
                tampered[i] ^= (byte) (1 << bit);
                int position = i;
                FirmwareRejectedException e = assertThrows(FirmwareRejectedException.class,
                        () -> FirmwareManifest.verify(tampered, key.getPublic(), MODEL, "2.3.7"), () -> "byte " + position);
                assertTrue(e.reason() == Reason.BAD_SIGNATURE || e.reason() == Reason.MALFORMED, e.getMessage());
            }
        }
    }

    @Test
    void anotherKeysSignatureIsRefused() {
        KeyPair other = KeyMaterial.generateEd25519();
        byte[] foreign = FirmwareManifest.sign(spec("2.4.1", FirmwareManifest.Channel.STABLE, null, null), other);
        assertRefused(Reason.BAD_SIGNATURE, () -> FirmwareManifest.verify(foreign, key.getPublic(), MODEL, "2.3.7"));
    }

    @Test
    void anotherModelIsRefused() {
        assertRefused(Reason.WRONG_MODEL, () -> FirmwareManifest.verify(signed(), key.getPublic(), "acme-deadbolt-100", "2.3.7"));
    }

    @Test
    void aDowngradeOrReinstallIsRefused() {
        byte[] old = FirmwareManifest.sign(spec("1.9.9", FirmwareManifest.Channel.STABLE, null, null), key);
        assertRefused(Reason.DOWNGRADE, () -> FirmwareManifest.verify(old, key.getPublic(), MODEL, "2.0.0"));
        byte[] same = FirmwareManifest.sign(spec("2.0", FirmwareManifest.Channel.STABLE, null, null), key);
        assertRefused(Reason.DOWNGRADE, () -> FirmwareManifest.verify(same, key.getPublic(), MODEL, "2.0.0"));
    }

    @Test
    void anInstalledVersionOutsideTheUpgradeRangeIsRefused() throws Exception {
        assertRefused(Reason.UPGRADE_PATH, () -> FirmwareManifest.verify(signed(), key.getPublic(), MODEL, "1.9.9"));
        byte[] atMax = FirmwareManifest.sign(spec("2.4.2", FirmwareManifest.Channel.STABLE, "2.0", "2.4.0"), key);
        assertRefused(Reason.UPGRADE_PATH, () -> FirmwareManifest.verify(atMax, key.getPublic(), MODEL, "2.4.1"));
        FirmwareManifest.verify(signed(), key.getPublic(), MODEL, "2.0");
        FirmwareManifest.verify(signed(), key.getPublic(), MODEL, "2.4.0");
    }

    @Test
    void anImageWithAnotherDigestOrSizeIsRefused() throws Exception {
        FirmwareManifest manifest = FirmwareManifest.verify(signed(), key.getPublic(), MODEL, "2.3.7");
        byte[] flipped = IMAGE.clone();
        flipped[7] ^= 1;
        assertRefused(Reason.DIGEST_MISMATCH, () -> manifest.checkImage(flipped));
        byte[] longer = java.util.Arrays.copyOf(IMAGE, IMAGE.length + 1);
        assertRefused(Reason.DIGEST_MISMATCH, () -> manifest.checkImage(longer));
        assertRefused(Reason.DIGEST_MISMATCH, () -> manifest.checkImage(new byte[0]));
    }

    @Test
    void anUnknownChannelIsRefusedEvenWhenSigned() {
        byte[] manifest = dev.portcullis.lock.protocol.wire.FirmwareManifest.newBuilder()
                .setFormatVersion(1).setSigningKeyId(KeyIds.of(key.getPublic())).setModel(MODEL).setFirmwareVersion("2.4.1")
                .setChannelValue(9).setImageSha256(ByteString.copyFrom(FirmwareManifest.sha256(IMAGE))).setImageSize(IMAGE.length)
                .build().toByteArray();
        assertRefused(Reason.UNKNOWN_CHANNEL, () -> FirmwareManifest.verify(signedBy(manifest), key.getPublic(), MODEL, "2.3.7"));
        byte[] unspecified = dev.portcullis.lock.protocol.wire.FirmwareManifest.newBuilder()
                .setFormatVersion(1).setSigningKeyId(KeyIds.of(key.getPublic())).setModel(MODEL).setFirmwareVersion("2.4.1")
                .setImageSha256(ByteString.copyFrom(FirmwareManifest.sha256(IMAGE))).setImageSize(IMAGE.length)
                .build().toByteArray();
        assertRefused(Reason.UNKNOWN_CHANNEL, () -> FirmwareManifest.verify(signedBy(unspecified), key.getPublic(), MODEL, "2.3.7"));
    }

    @Test
    void anotherFormatVersionOrANonCanonicalEncodingIsRefused() {
        byte[] future = dev.portcullis.lock.protocol.wire.FirmwareManifest.newBuilder()
                .setFormatVersion(2).setSigningKeyId(KeyIds.of(key.getPublic())).setModel(MODEL).setFirmwareVersion("2.4.1")
                .setChannelValue(1).setImageSha256(ByteString.copyFrom(FirmwareManifest.sha256(IMAGE))).setImageSize(IMAGE.length)
                .build().toByteArray();
        assertRefused(Reason.UNSUPPORTED_VERSION, () -> FirmwareManifest.verify(signedBy(future), key.getPublic(), MODEL, "2.3.7"));
        byte[] genuine = signed();
        byte[] trailing = java.util.Arrays.copyOf(genuine, genuine.length + 2);
        trailing[genuine.length] = 0x18; // field 3, varint: unknown
        trailing[genuine.length + 1] = 0x01;
        assertRefused(Reason.MALFORMED, () -> FirmwareManifest.verify(trailing, key.getPublic(), MODEL, "2.3.7"));
        assertRefused(Reason.MALFORMED, () -> FirmwareManifest.verify(new byte[0], key.getPublic(), MODEL, "2.3.7"));
        assertRefused(Reason.MALFORMED, () -> FirmwareManifest.verify(new byte[FirmwareManifest.MAX_SIGNED_BYTES + 1], key.getPublic(),
                MODEL, "2.3.7"));
    }

    @Test
    void versionsCompareNumericallyPartByPart() {
        assertTrue(FirmwareVersion.parse("2.10").compareTo(FirmwareVersion.parse("2.9.9")) > 0);
        assertEquals(FirmwareVersion.parse("2.4"), FirmwareVersion.parse("2.4.0.0"));
        for (String bad : new String[] {"", "v2", "2.", "02.1", "1.2.3.4.5", "sim-1.4.2", "1..2", "1234567890"}) {
            assertThrows(IllegalArgumentException.class, () -> FirmwareVersion.parse(bad), bad);
        }
    }

    /** The recorded vector reproduces byte for byte, and verifies with plain JDK primitives from the file alone. */
    @Test
    void recordedVectorReproducesAndVerifiesWithTheJdk() throws Exception {
        JsonNode recorded = recorded();
        assertEquals(FIRMWARE_SIGNING_PUBLIC, recorded.get("firmware_signing_public_hex").asText());
        assertEquals(recorded.get("signed_manifest_hex").asText(), HEX.formatHex(signed()),
                "the implementation no longer produces the recorded manifest (a wire change needs a new format version)");

        byte[] signedManifest = HEX.parseHex(recorded.get("signed_manifest_hex").asText());
        SignedFirmwareManifest envelope = SignedFirmwareManifest.parseFrom(signedManifest);
        byte[] manifest = envelope.getManifest().toByteArray();
        assertEquals(recorded.get("manifest_hex").asText(), HEX.formatHex(manifest));
        PublicKey jdkKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(
                HEX.parseHex("302a300506032b6570032100" + recorded.get("firmware_signing_public_hex").asText())));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(jdkKey);
        verifier.update(lp("portcullis/firmware-manifest/v1".getBytes(StandardCharsets.UTF_8)));
        verifier.update(lp(manifest));
        assertTrue(verifier.verify(envelope.getSignature().toByteArray()));
        byte[] image = HEX.parseHex(recorded.get("image_hex").asText());
        assertEquals(recorded.get("image_sha256_hex").asText(), HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(image)));
        FirmwareManifest.verify(signedManifest, jdkKey, recorded.get("model").asText(), recorded.get("installed_version").asText())
                .checkImage(image);
    }

    private JsonNode recorded() throws Exception {
        String location = System.getProperty("portcullis.lock-protocol.vectors");
        Path file = location == null ? null : Path.of(location).resolveSibling("firmware-manifest-v1.json");
        if ("true".equals(System.getenv("PORTCULLIS_WRITE_VECTORS"))) {
            if (file == null) {
                fail("set -Dportcullis.lock-protocol.vectors to write the vector files");
            }
            Files.writeString(file, JSON.writeValueAsString(generate()) + "\n", StandardCharsets.UTF_8);
        }
        try (InputStream in = FirmwareManifestTest.class.getResourceAsStream(RESOURCE)) {
            if (file != null && Files.exists(file)) {
                return JSON.readTree(file.toFile());
            }
            if (in == null) {
                fail("no vector file " + RESOURCE + "; generate it with PORTCULLIS_WRITE_VECTORS=true");
            }
            return JSON.readTree(in);
        }
    }

    private ObjectNode generate() throws Exception {
        byte[] signedManifest = signed();
        ObjectNode node = JSON.createObjectNode();
        node.put("description", "A firmware manifest signed with the RFC 8032 7.1 TEST 3 key, and its image (docs/lock-protocol.md, "
                + "\"Firmware manifests\"). A lock on 'installed_version' of 'model' must accept it.");
        node.put("firmware_signing_seed_hex", FIRMWARE_SIGNING_SEED);
        node.put("firmware_signing_public_hex", FIRMWARE_SIGNING_PUBLIC);
        node.put("firmware_signing_key_id", KeyIds.of(key.getPublic()));
        node.put("model", MODEL);
        node.put("firmware_version", "2.4.1");
        node.put("channel", "STABLE");
        node.put("min_upgrade_from", "2.0");
        node.put("max_upgrade_from", "2.4.0");
        node.put("released_at_unix_ms", RELEASED.toEpochMilli());
        node.put("installed_version", "2.3.7");
        node.put("image_hex", HEX.formatHex(IMAGE));
        node.put("image_sha256_hex", HEX.formatHex(FirmwareManifest.sha256(IMAGE)));
        node.put("manifest_hex", HEX.formatHex(SignedFirmwareManifest.parseFrom(signedManifest).getManifest().toByteArray()));
        node.put("signed_bytes_hex", HEX.formatHex(FirmwareManifest.signedBytes(
                SignedFirmwareManifest.parseFrom(signedManifest).getManifest().toByteArray())));
        node.put("signed_manifest_hex", HEX.formatHex(signedManifest));
        return node;
    }

    private byte[] signedBy(byte[] manifest) {
        return SignedFirmwareManifest.newBuilder().setManifest(ByteString.copyFrom(manifest))
                .setSignature(ByteString.copyFrom(KeyMaterial.sign(key.getPrivate(), FirmwareManifest.signedBytes(manifest))))
                .build().toByteArray();
    }

    private static byte[] lp(byte[] part) {
        return ByteBuffer.allocate(4 + part.length).putInt(part.length).put(part).array();
    }

    private static void assertRefused(Reason expected, Executable check) {
        FirmwareRejectedException e = assertThrows(FirmwareRejectedException.class, check);
        assertEquals(expected, e.reason(), e.getMessage());
    }
}
