package dev.portcullis.lock.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.wire.SignedFirmwareManifest;
import java.security.KeyPair;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of what a lock parses before installing firmware: the signed firmware manifest
 * (docs/lock-protocol.md, "Firmware manifests" and "Fuzzing"). The only allowed outcomes are a verified
 * manifest or a {@link FirmwareRejectedException} with a reason.
 * Longer: {@code JAZZER_FUZZ=1 JAZZER_MAX_DURATION=10m ./mvnw -B -ntp -pl lock-protocol test -Dtest=FirmwareManifestFuzzTest}.
 */
class FirmwareManifestFuzzTest {

    private static final KeyPair KEY = TestVectors.ed25519(FirmwareManifestTest.FIRMWARE_SIGNING_SEED);
    private static final String INSTALLED = "2.3.7";
    private static final byte[] GENUINE = FirmwareManifest.sign(
            FirmwareManifestTest.spec("2.4.1", FirmwareManifest.Channel.STABLE, "2.0", "2.4.0"), KEY);

    /**
     * The lock's input, one of three ways (first choice): 0, the bytes as they are; 1, the genuine manifest
     * with the fuzzer's edits, never accepted unless the edits cancel out; 2, manifest bytes of the fuzzer's
     * choosing signed by the real key, so the checks after the signature are fuzzed too, and an accepted
     * manifest must satisfy every rule the lock enforces.
     */
    @FuzzTest(maxDuration = "6s")
    void lockReceivesManifest(FuzzedDataProvider data) {
        switch (data.consumeInt(0, 2)) {
            case 0 -> unsigned(data.consumeRemainingAsBytes());
            case 1 -> unsigned(FuzzWorld.mutate(GENUINE, data));
            default -> {
                byte[] manifest = data.consumeBoolean() ? FuzzWorld.mutate(manifestOf(GENUINE), data) : data.consumeRemainingAsBytes();
                byte[] signed = SignedFirmwareManifest.newBuilder().setManifest(ByteString.copyFrom(manifest))
                        .setSignature(ByteString.copyFrom(KeyMaterial.sign(KEY.getPrivate(), FirmwareManifest.signedBytes(manifest))))
                        .build().toByteArray();
                FirmwareManifest accepted = receive(signed);
                if (accepted != null) {
                    assertEquals(FirmwareManifestTest.MODEL, accepted.model());
                    assertTrue(accepted.version().compareTo(FirmwareVersion.parse(INSTALLED)) > 0);
                    assertEquals(32, accepted.imageSha256().length);
                    assertArrayEquals(signed, accepted.signed());
                }
            }
        }
    }

    private static FirmwareManifest receive(byte[] signed) {
        try {
            return FirmwareManifest.verify(signed, KEY.getPublic(), FirmwareManifestTest.MODEL, INSTALLED);
        } catch (FirmwareRejectedException e) {
            assertNotNull(e.reason());
            return null;
        }
    }

    private static void unsigned(byte[] signed) {
        if (receive(signed) != null) {
            assertTrue(Arrays.equals(GENUINE, signed), "accepted a manifest the vendor never signed");
        }
    }

    private static byte[] manifestOf(byte[] signed) {
        try {
            return SignedFirmwareManifest.parseFrom(signed).getManifest().toByteArray();
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new AssertionError(e);
        }
    }
}
