package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.TestVectors.HEX;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.portcullis.lock.protocol.wire.CommandBody;
import dev.portcullis.lock.protocol.wire.CommandHeader;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The recorded vectors (src/test/resources/vectors/lock-protocol-v1.json) against this implementation,
 * and against plain JDK primitives from the file alone: what a lock firmware's own test does.
 */
class KnownAnswerTest {

    private static final String RESOURCE = "/vectors/lock-protocol-v1.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static JsonNode recorded;

    @BeforeAll
    static void load() throws Exception {
        String location = System.getProperty("portcullis.lock-protocol.vectors");
        Path file = location == null ? null : Path.of(location);
        if ("true".equals(System.getenv("PORTCULLIS_WRITE_VECTORS"))) {
            if (file == null) {
                fail("set -Dportcullis.lock-protocol.vectors to the vector file to write it");
            }
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(TestVectors.generate(JSON)) + "\n", StandardCharsets.UTF_8);
        }
        if (file != null && Files.exists(file)) {
            recorded = JSON.readTree(file.toFile());
        } else {
            try (InputStream in = KnownAnswerTest.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    fail("no vector file " + RESOURCE + "; generate it with PORTCULLIS_WRITE_VECTORS=true");
                }
                recorded = JSON.readTree(in);
            }
        }
    }

    @Test
    void implementationReproducesTheRecordedVectorsByteForByte() throws Exception {
        JsonNode generated = JSON.readTree(JSON.writeValueAsString(TestVectors.generate(JSON)));
        if (!generated.equals(recorded)) {
            List<String> differences = new ArrayList<>();
            diff("", recorded, generated, differences);
            fail("the implementation no longer produces the recorded v1 vectors (a wire change needs a new protocol version): "
                    + differences);
        }
    }

    @Test
    void keyMaterialIsTheRfcTestKeys() throws Exception {
        JsonNode keys = recorded.get("keys");
        assertEquals(TestVectors.PLATFORM_SIGNING_PUBLIC, keys.get("platform_signing").get("public_hex").asText());
        assertEquals(TestVectors.LOCK_SIGNING_PUBLIC, keys.get("lock_signing").get("public_hex").asText());
        assertEquals(TestVectors.PLATFORM_AGREEMENT_PUBLIC, keys.get("platform_agreement").get("public_hex").asText());
        assertEquals(TestVectors.LOCK_AGREEMENT_PUBLIC, keys.get("lock_agreement").get("public_hex").asText());
        assertEquals(TestVectors.RFC7748_SHARED_SECRET, recorded.get("command").get("x25519_shared_secret_hex").asText());
        for (String name : TestVectors.names()) {
            JsonNode key = keys.get(name);
            assertEquals(key.get("key_id").asText(), KeyIds.ofSpki(hex(key, "spki_hex")), name);
        }
    }

    @Test
    void recordedCommandVerifiesOnALockBuiltFromTheFile() throws Exception {
        JsonNode command = recorded.get("command");
        LockVerifier lock = lockFromFile(recorded.get("lock"));
        VerifiedCommand verified = lock.verify(hex(command, "envelope_hex"));

        assertEquals(UUID.fromString(command.get("command_id").asText()), verified.commandId());
        assertEquals(LockCommandAction.valueOf(command.get("action").asText()), verified.action());
        assertEquals(command.get("counter").asLong(), verified.counter());
        assertEquals(recorded.get("lock").get("key_epoch").asInt(), verified.keyEpoch());
        assertEquals(Instant.ofEpochMilli(command.get("issued_at_unix_ms").asLong()), verified.issuedAt());
        assertEquals(Instant.ofEpochMilli(command.get("expires_at_unix_ms").asLong()), verified.expiresAt());
        JsonNode requester = command.get("requester");
        assertEquals(new Attribution(requester.get("organization_id").asText(), requester.get("subject_id").asText(),
                requester.get("method").asText(), requester.get("action_attempt_id").asText()), verified.requester());
        assertEquals(recorded.get("keys").get("platform_signing").get("key_id").asText(), verified.platformSigningKeyId());
        assertArrayEquals(hex(command, "command_hash_hex"), verified.commandHash());
    }

    @Test
    void recordedCommandChecksWithPlainJdkPrimitives() throws Exception {
        JsonNode keys = recorded.get("keys");
        JsonNode command = recorded.get("command");
        JsonNode lock = recorded.get("lock");
        byte[] envelope = hex(command, "envelope_hex");
        byte[] header = hex(command, "header_hex");
        byte[] nonce = hex(command, "nonce_hex");
        byte[] ciphertext = hex(command, "ciphertext_hex");
        byte[] signature = hex(command, "signature_hex");

        // The envelope is fields 1..4 (header, nonce, ciphertext, signature), length-delimited, in order.
        assertArrayEquals(LockVerifierTest.concat(LockVerifierTest.field(1, header), LockVerifierTest.field(2, nonce),
                LockVerifierTest.field(3, ciphertext), LockVerifierTest.field(4, signature)), envelope);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(envelope), hex(command, "command_hash_hex"));

        // Signature: Ed25519 by the platform over LP(domain) || LP(header) || LP(nonce) || LP(ciphertext).
        byte[] signed = LockVerifierTest.concat(lp("portcullis/lock-command/v1".getBytes(StandardCharsets.UTF_8)), lp(header), lp(nonce),
                lp(ciphertext));
        assertArrayEquals(signed, hex(command, "signed_bytes_hex"));
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initVerify(publicKey("Ed25519", keys.get("platform_signing")));
        ed25519.update(signed);
        assertTrue(ed25519.verify(signature));

        // Key agreement from the lock's side: X25519(lock private, platform public).
        KeyAgreement x25519 = KeyAgreement.getInstance("X25519");
        x25519.init(privateKey("X25519", keys.get("lock_agreement")));
        x25519.doPhase(publicKey("X25519", keys.get("platform_agreement")), true);
        byte[] shared = x25519.generateSecret();
        assertArrayEquals(hex(command, "x25519_shared_secret_hex"), shared);

        // HKDF-SHA256 (RFC 5869) with HMAC: salt, info = LP(lock id) || LP(platform agreement key id) || LP(lock agreement key id) || epoch.
        byte[] salt = "portcullis/lock-command-key/v1".getBytes(StandardCharsets.UTF_8);
        byte[] info = LockVerifierTest.concat(lp(utf8(lock.get("lock_id").asText())),
                lp(utf8(keys.get("platform_agreement").get("key_id").asText())), lp(utf8(keys.get("lock_agreement").get("key_id").asText())),
                ByteBuffer.allocate(4).putInt(lock.get("key_epoch").asInt()).array());
        assertArrayEquals(hex(command, "hkdf_salt_hex"), salt);
        assertArrayEquals(hex(command, "hkdf_info_hex"), info);
        byte[] prk = hmac(salt, shared);
        byte[] key = hmac(prk, LockVerifierTest.concat(info, new byte[] {1}));
        assertArrayEquals(hex(command, "command_key_hex"), key);

        // Nonce: uint32_be(epoch) || uint64_be(counter); AES-256-GCM, 128-bit tag, AAD = the header bytes.
        assertArrayEquals(ByteBuffer.allocate(12).putInt(lock.get("key_epoch").asInt()).putLong(command.get("counter").asLong()).array(), nonce);
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        gcm.updateAAD(header);
        byte[] body = gcm.doFinal(ciphertext);
        assertArrayEquals(hex(command, "body_hex"), body);

        // And the decoded header and body say what the vector says.
        CommandHeader parsedHeader = CommandHeader.parseFrom(header);
        assertEquals(lock.get("lock_id").asText(), parsedHeader.getLockId());
        assertEquals(command.get("counter").asLong(), parsedHeader.getCounter());
        assertEquals(command.get("expires_at_unix_ms").asLong(), parsedHeader.getExpiresAtUnixMs());
        assertEquals(keys.get("platform_signing").get("key_id").asText(), parsedHeader.getPlatformSigningKeyId());
        assertEquals(command.get("requester").get("subject_id").asText(), CommandBody.parseFrom(body).getRequester().getSubjectId());
    }

    @Test
    void recordedAcknowledgementsVerifyOnThePlatform() throws Exception {
        JsonNode keys = recorded.get("keys");
        LockIdentity lock = new LockIdentity(recorded.get("lock").get("lock_id").asText(), publicKey("Ed25519", keys.get("lock_signing")),
                publicKey("X25519", keys.get("lock_agreement")), recorded.get("lock").get("key_epoch").asInt());
        byte[] commandHash = hex(recorded.get("command"), "command_hash_hex");
        AckVerifier verifier = new AckVerifier();

        JsonNode executedVector = recorded.get("ack_executed");
        Acknowledgement executed = verifier.verify(hex(executedVector, "signed_ack_hex"), commandHash, lock);
        assertEquals(Acknowledgement.Outcome.EXECUTED, executed.outcome());
        assertEquals(recorded.get("command").get("counter").asLong(), executed.lastAcceptedCounter());
        assertEquals(Instant.ofEpochMilli(executedVector.get("lock_time_unix_ms").asLong()), executed.lockTime());

        Acknowledgement refused = verifier.verify(hex(recorded.get("ack_refused_replay"), "signed_ack_hex"), commandHash, lock);
        assertEquals(RejectionReason.REPLAYED_COUNTER, refused.reason());

        for (String name : List.of("ack_executed", "ack_refused_replay")) {
            JsonNode vector = recorded.get(name);
            assertArrayEquals(LockVerifierTest.concat(lp(utf8("portcullis/lock-ack/v1")), lp(hex(vector, "ack_hex"))),
                    hex(vector, "signed_bytes_hex"), name);
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initVerify(lock.signingKey());
            ed25519.update(hex(vector, "signed_bytes_hex"));
            assertTrue(ed25519.verify(hex(vector, "signature_hex")), name);
        }
    }

    @Test
    void recordedGatewayChallengeVerifies() throws Exception {
        JsonNode challenge = recorded.get("gateway_challenge");
        PublicKey lockKey = publicKey("Ed25519", recorded.get("keys").get("lock_signing"));
        byte[] nonce = hex(challenge, "nonce_hex");
        String lockId = challenge.get("lock_id").asText();
        assertArrayEquals(LockVerifierTest.concat(lp(utf8("portcullis/gateway-challenge/v1")), lp(utf8(lockId)), lp(nonce)),
                hex(challenge, "signed_bytes_hex"));
        assertTrue(GatewayChallenge.verify(lockKey, lockId, nonce, hex(challenge, "signature_hex")));
    }

    @Test
    void recordedBadEnvelopesAreRefusedWithTheRecordedReason() throws Exception {
        JsonNode defaults = recorded.get("lock");
        int count = 0;
        for (JsonNode vector : recorded.get("must_refuse")) {
            LockVerifier lock = lockFromFile(vector, defaults);
            RejectionReason expected = RejectionReason.valueOf(vector.get("expected_reason").asText());
            assertEquals(expected, Fixture.rejection(lock, hex(vector, "envelope_hex")), vector.get("name").asText());
            count++;
        }
        assertTrue(count >= 10, "the vector file lists the refusals");
    }

    // --- helpers ----------------------------------------------------------------------------------

    private static LockVerifier lockFromFile(JsonNode lock) throws Exception {
        return lockFromFile(lock, lock);
    }

    /** A lock with the file's keys and state; fields of {@code overrides} win over {@code defaults}. */
    private static LockVerifier lockFromFile(JsonNode overrides, JsonNode defaults) throws Exception {
        JsonNode keys = recorded.get("keys");
        InMemoryLockKeys lockKeys = InMemoryLockKeys.fromEncoded(hex(keys.get("lock_signing"), "pkcs8_hex"),
                hex(keys.get("lock_signing"), "spki_hex"), hex(keys.get("lock_agreement"), "pkcs8_hex"));
        List<String> revoked = new ArrayList<>();
        if (overrides.has("revoked_key_ids")) {
            overrides.get("revoked_key_ids").forEach(id -> revoked.add(id.asText()));
        }
        TrustedPlatformKeys trusted = new TrustedPlatformKeys(List.of(publicKey("Ed25519", keys.get("platform_signing"))),
                List.of(publicKey("X25519", keys.get("platform_agreement"))), revoked);
        return TestVectors.lock(lockKeys, trusted, pick(overrides, defaults, "lock_id").asText(), pick(overrides, defaults, "key_epoch").asInt(),
                pick(overrides, defaults, "last_accepted_counter").asLong(), Instant.ofEpochMilli(pick(overrides, defaults, "now_unix_ms").asLong()));
    }

    private static JsonNode pick(JsonNode overrides, JsonNode defaults, String field) {
        return overrides.has(field) ? overrides.get(field) : defaults.get(field);
    }

    private static PublicKey publicKey(String algorithm, JsonNode key) throws Exception {
        return KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(hex(key, "spki_hex")));
    }

    private static PrivateKey privateKey(String algorithm, JsonNode key) throws Exception {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(hex(key, "pkcs8_hex")));
    }

    private static byte[] hex(JsonNode node, String field) {
        return HEX.parseHex(node.get(field).asText());
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] lp(byte[] part) {
        return LockVerifierTest.concat(ByteBuffer.allocate(4).putInt(part.length).array(), part);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static void diff(String path, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected == null || actual == null || expected.getNodeType() != actual.getNodeType() || expected.isValueNode()) {
            if (expected == null || !expected.equals(actual)) {
                out.add(path);
            }
            return;
        }
        if (expected.isArray()) {
            for (int i = 0; i < Math.max(expected.size(), actual.size()); i++) {
                diff(path + "[" + i + "]", expected.get(i), actual.get(i), out);
            }
            return;
        }
        List<String> names = new ArrayList<>();
        expected.fieldNames().forEachRemaining(names::add);
        actual.fieldNames().forEachRemaining(name -> {
            if (!names.contains(name)) {
                names.add(name);
            }
        });
        for (String name : names) {
            diff(path + "." + name, expected.get(name), actual.get(name), out);
        }
    }
}
