package dev.portcullis.lock.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Key derivation and nonce construction, checked against their definitions. */
class CommandKeyTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void commandKeyIsHkdfSha256WithTheSpecifiedSaltAndInfo() {
        // RFC 5869 computed independently with the JDK's HMAC: PRK = HMAC(salt, IKM); OKM = HMAC(PRK, info || 0x01).
        // Catches salt and info swapped, a wrong hash, or a wrong length.
        byte[] ikm = HEX.parseHex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742");
        byte[] info = CommandKey.info("lock-1", "platform-agreement-id", "lock-agreement-id", 7);
        byte[] prk = hmac(Encoding.utf8("portcullis/lock-command-key/v1"), ikm);
        byte[] okm = hmac(prk, LockVerifierTest.concat(info, new byte[] {1}));

        assertArrayEquals(okm, CommandKey.derive(ikm, "lock-1", "platform-agreement-id", "lock-agreement-id", 7));
    }

    @Test
    void infoIsLengthPrefixedIdsAndTheEpoch() {
        byte[] info = CommandKey.info("L", "pa", "la", 258);
        assertEquals("00000001" + "4c" + "00000002" + "7061" + "00000002" + "6c61" + "00000102", HEX.formatHex(info));
    }

    @Test
    void commandKeyIsBoundToLockIdBothAgreementKeysAndEpoch() {
        byte[] ikm = new byte[32];
        ikm[0] = 1;
        List<byte[]> keys = new ArrayList<>();
        keys.add(CommandKey.derive(ikm, "lock-1", "p", "l", 1));
        keys.add(CommandKey.derive(ikm, "lock-2", "p", "l", 1));
        keys.add(CommandKey.derive(ikm, "lock-1", "q", "l", 1));
        keys.add(CommandKey.derive(ikm, "lock-1", "p", "m", 1));
        keys.add(CommandKey.derive(ikm, "lock-1", "p", "l", 2));
        // Length prefixes: moving bytes between fields changes the key.
        keys.add(CommandKey.derive(ikm, "lock-1p", "", "l", 1));
        Set<String> distinct = new HashSet<>();
        keys.forEach(key -> distinct.add(HEX.formatHex(key)));
        assertEquals(keys.size(), distinct.size());
        keys.forEach(key -> assertEquals(32, key.length));
    }

    @Test
    void bothSidesAgreeOnTheSameKeyAndOnlyThey() {
        InMemoryPlatformKeys platform = InMemoryPlatformKeys.generate();
        InMemoryLockKeys lock = InMemoryLockKeys.generate();
        InMemoryLockKeys other = InMemoryLockKeys.generate();
        assertArrayEquals(platform.agree(lock.agreementPublicKey()), lock.agree(platform.agreementPublicKey()));
        assertFalse(java.util.Arrays.equals(platform.agree(lock.agreementPublicKey()), other.agree(platform.agreementPublicKey())));
    }

    @Test
    void sharedSecretMustBe32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> CommandKey.derive(new byte[31], "l", "p", "q", 1));
        assertThrows(IllegalArgumentException.class, () -> CommandKey.derive(null, "l", "p", "q", 1));
    }

    @Test
    void nonceIsEpochThenCounterBigEndian() {
        assertEquals("00000003" + "000000000000002a", HEX.formatHex(CommandKey.nonce(3, 42)));
        assertEquals(12, CommandKey.nonce(1, 1).length);
        // Distinct (epoch, counter) pairs never share a nonce.
        Set<ByteBuffer> nonces = new HashSet<>();
        for (int epoch = 0; epoch < 4; epoch++) {
            for (long counter = 1; counter < 1000; counter++) {
                nonces.add(ByteBuffer.wrap(CommandKey.nonce(epoch, counter)));
            }
        }
        assertEquals(4 * 999, nonces.size());
    }

    @Test
    void sealedEnvelopeUsesTheDerivedNonceAndTheHeaderAsAad() throws Exception {
        Fixture f = new Fixture();
        SealedCommand sealed = f.seal(5);
        var envelope = dev.portcullis.lock.protocol.wire.CommandEnvelope.parseFrom(sealed.envelope());
        assertArrayEquals(CommandKey.nonce(1, 5), envelope.getNonce().toByteArray());
        // Decrypts with the independently derived key, this nonce and the header bytes as AAD.
        byte[] body = AesGcm.open(f.commandKey(), envelope.getNonce().toByteArray(), envelope.getHeader().toByteArray(),
                envelope.getCiphertext().toByteArray());
        assertEquals(dev.portcullis.lock.protocol.wire.Action.ACTION_UNLOCK,
                dev.portcullis.lock.protocol.wire.CommandBody.parseFrom(body).getAction());
        assertEquals(body.length + 16, envelope.getCiphertext().size(), "128-bit tag");
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
