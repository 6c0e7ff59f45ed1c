package dev.portcullis.lock.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portcullis.lock.protocol.wire.CommandEnvelope;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * The known-answer vectors of protocol version 1 (docs/lock-protocol.md, "Test vectors"), computed by
 * this library from fixed, public key material and fixed inputs. Everything in the protocol is
 * deterministic (Ed25519 signatures, the nonce, AES-GCM, protobuf encoding), so the same inputs always
 * give the same bytes. The keys are the RFC 8032 and RFC 7748 test keys: public, never for real use.
 */
final class TestVectors {

    static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 section 7.1, TEST 1: the platform's Ed25519 signing key. */
    static final String PLATFORM_SIGNING_SEED = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";
    static final String PLATFORM_SIGNING_PUBLIC = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";
    /** RFC 8032 section 7.1, TEST 2: the lock's Ed25519 signing key. */
    static final String LOCK_SIGNING_SEED = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
    static final String LOCK_SIGNING_PUBLIC = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c";
    /** RFC 7748 section 6.1, Alice: the platform's X25519 agreement key. */
    static final String PLATFORM_AGREEMENT_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    static final String PLATFORM_AGREEMENT_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    /** RFC 7748 section 6.1, Bob: the lock's X25519 agreement key. */
    static final String LOCK_AGREEMENT_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    static final String LOCK_AGREEMENT_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    /** RFC 7748 section 6.1: their shared secret K. */
    static final String RFC7748_SHARED_SECRET = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    /** DER prefixes: PKCS#8 (RFC 8410) and SubjectPublicKeyInfo of a raw 32-byte key. */
    static final String ED25519_PKCS8_PREFIX = "302e020100300506032b657004220420";
    static final String X25519_PKCS8_PREFIX = "302e020100300506032b656e04220420";
    static final String ED25519_SPKI_PREFIX = "302a300506032b6570032100";
    static final String X25519_SPKI_PREFIX = "302a300506032b656e032100";

    static final String LOCK_ID = "6f1d3c2a-9b8e-4d7f-a1c0-5e4b3a291807";
    static final int KEY_EPOCH = 3;
    static final long LAST_ACCEPTED = 41;
    static final long COUNTER = 42;
    static final UUID COMMAND_ID = UUID.fromString("3e2f6a1c-8b4d-4f7e-a9c5-1d2b3c4d5e6f");
    static final Instant ISSUED_AT = Instant.parse("2025-06-01T12:00:00Z");
    static final Instant EXPIRES_AT = ISSUED_AT.plusSeconds(5);
    static final Instant LOCK_NOW = ISSUED_AT.plusMillis(1000);
    static final Instant ACK_TIME = LOCK_NOW.plusMillis(250);
    static final Instant REFUSAL_TIME = LOCK_NOW.plusMillis(900);
    static final Duration SKEW = Duration.ofSeconds(30);
    static final Duration MAX_LIFETIME = Duration.ofSeconds(60);
    static final Attribution REQUESTER = new Attribution("0d9b6f4e-2c1a-4e8b-9f7d-3a5c6b8e1d20", "tenant-7", "app",
            "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d");
    static final String CHALLENGE_NONCE = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    private TestVectors() {
    }

    static KeyPair ed25519(String seedHex) {
        try {
            PrivateKey privateKey = KeyFactory.getInstance("Ed25519")
                    .generatePrivate(new PKCS8EncodedKeySpec(HEX.parseHex(ED25519_PKCS8_PREFIX + seedHex)));
            byte[] raw = new Ed25519PrivateKeyParameters(HEX.parseHex(seedHex), 0).generatePublicKey().getEncoded();
            PublicKey publicKey = PublicKeys.ed25519(HEX.parseHex(ED25519_SPKI_PREFIX + HEX.formatHex(raw)));
            return new KeyPair(publicKey, privateKey);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair x25519(String privateHex) {
        PrivateKey privateKey = KeyMaterial.x25519Private(HEX.parseHex(X25519_PKCS8_PREFIX + privateHex));
        return new KeyPair(KeyMaterial.x25519PublicOf(privateKey), privateKey);
    }

    static InMemoryPlatformKeys platformKeys() {
        return new InMemoryPlatformKeys(ed25519(PLATFORM_SIGNING_SEED), x25519(PLATFORM_AGREEMENT_PRIVATE));
    }

    static InMemoryLockKeys lockKeys() {
        return new InMemoryLockKeys(ed25519(LOCK_SIGNING_SEED), x25519(LOCK_AGREEMENT_PRIVATE));
    }

    static LockIdentity lockIdentity(InMemoryLockKeys keys) {
        return new LockIdentity(LOCK_ID, keys.signingPublicKey(), keys.agreementPublicKey(), KEY_EPOCH);
    }

    static CommandSpec spec(long counter, Instant issuedAt, Instant expiresAt) {
        return new CommandSpec(COMMAND_ID, LockCommandAction.UNLOCK, counter, issuedAt, expiresAt, REQUESTER);
    }

    /** A lock verifier in the vectors' lock state. */
    static LockVerifier lock(InMemoryLockKeys keys, TrustedPlatformKeys trusted, String lockId, int epoch, long lastAccepted, Instant now) {
        InMemoryCounterStore counters = new InMemoryCounterStore();
        if (lastAccepted > 0) {
            counters.advance(epoch, lastAccepted);
        }
        return new LockVerifier(lockId, epoch, keys, trusted, counters, Clock.fixed(now, ZoneOffset.UTC), SKEW, MAX_LIFETIME);
    }

    /** Computes every vector from scratch. */
    static ObjectNode generate(ObjectMapper json) throws Exception {
        InMemoryPlatformKeys platform = platformKeys();
        InMemoryLockKeys lockKeys = lockKeys();
        LockIdentity identity = lockIdentity(lockKeys);
        TrustedPlatformKeys trusted = new TrustedPlatformKeys(platform.signingPublicKey(), platform.agreementPublicKey());
        CommandBuilder builder = new CommandBuilder(platform);

        ObjectNode root = json.createObjectNode();
        root.put("description", "Portcullis lock protocol v1 known-answer vectors; see docs/lock-protocol.md. All byte strings are "
                + "lower-case hex. The keys are the public RFC 8032 / RFC 7748 test keys: never use them for a real lock or platform.");
        root.put("protocol_version", Encoding.PROTOCOL_VERSION);

        ObjectNode keys = root.putObject("keys");
        putEd25519(keys.putObject("platform_signing"), "RFC 8032 7.1 TEST 1", PLATFORM_SIGNING_SEED, platform.signingPublicKey());
        putX25519(keys.putObject("platform_agreement"), "RFC 7748 6.1 Alice", PLATFORM_AGREEMENT_PRIVATE, platform.agreementPublicKey());
        putEd25519(keys.putObject("lock_signing"), "RFC 8032 7.1 TEST 2", LOCK_SIGNING_SEED, lockKeys.signingPublicKey());
        putX25519(keys.putObject("lock_agreement"), "RFC 7748 6.1 Bob", LOCK_AGREEMENT_PRIVATE, lockKeys.agreementPublicKey());

        ObjectNode lock = root.putObject("lock");
        lock.put("lock_id", LOCK_ID);
        lock.put("key_epoch", KEY_EPOCH);
        lock.put("last_accepted_counter", LAST_ACCEPTED);
        lock.put("now_unix_ms", LOCK_NOW.toEpochMilli());
        lock.put("allowed_skew_ms", SKEW.toMillis());
        lock.put("max_lifetime_ms", MAX_LIFETIME.toMillis());

        // The command.
        SealedCommand sealed = builder.seal(spec(COUNTER, ISSUED_AT, EXPIRES_AT), identity);
        byte[] envelope = sealed.envelope();
        CommandEnvelope parts = CommandEnvelope.parseFrom(envelope);
        byte[] header = parts.getHeader().toByteArray();
        byte[] nonce = parts.getNonce().toByteArray();
        byte[] ciphertext = parts.getCiphertext().toByteArray();
        byte[] shared = platform.agree(lockKeys.agreementPublicKey());
        byte[] info = CommandKey.info(LOCK_ID, platform.agreementKeyId(), lockKeys.agreementKeyId(), KEY_EPOCH);
        byte[] commandKey = CommandKey.derive(shared, LOCK_ID, platform.agreementKeyId(), lockKeys.agreementKeyId(), KEY_EPOCH);
        byte[] body = AesGcm.open(commandKey, nonce, header, ciphertext);

        ObjectNode command = root.putObject("command");
        command.put("command_id", COMMAND_ID.toString());
        command.put("action", "UNLOCK");
        command.put("counter", COUNTER);
        command.put("issued_at_unix_ms", ISSUED_AT.toEpochMilli());
        command.put("expires_at_unix_ms", EXPIRES_AT.toEpochMilli());
        ObjectNode requester = command.putObject("requester");
        requester.put("organization_id", REQUESTER.organizationId());
        requester.put("subject_id", REQUESTER.subjectId());
        requester.put("method", REQUESTER.method());
        requester.put("action_attempt_id", REQUESTER.actionAttemptId());
        command.put("x25519_shared_secret_hex", HEX.formatHex(shared));
        command.put("hkdf_salt_hex", HEX.formatHex(Encoding.utf8(CommandKey.SALT)));
        command.put("hkdf_info_hex", HEX.formatHex(info));
        command.put("command_key_hex", HEX.formatHex(commandKey));
        command.put("header_hex", HEX.formatHex(header));
        command.put("nonce_hex", HEX.formatHex(nonce));
        command.put("body_hex", HEX.formatHex(body));
        command.put("ciphertext_hex", HEX.formatHex(ciphertext));
        command.put("signed_bytes_hex", HEX.formatHex(Encoding.commandSignedBytes(header, nonce, ciphertext)));
        command.put("signature_hex", HEX.formatHex(parts.getSignature().toByteArray()));
        command.put("envelope_hex", HEX.formatHex(envelope));
        command.put("command_hash_hex", HEX.formatHex(sealed.commandHash()));

        // The lock accepts it and acknowledges; a second delivery is refused and that is acknowledged too.
        LockVerifier verifier = lock(lockKeys, trusted, LOCK_ID, KEY_EPOCH, LAST_ACCEPTED, LOCK_NOW);
        VerifiedCommand verified = verifier.verify(envelope);
        putAck(root.putObject("ack_executed"), verifier.acknowledge(verified, ACK_TIME), ACK_TIME);
        RejectionReason replay;
        try {
            verifier.verify(envelope);
            throw new IllegalStateException("the replay was accepted");
        } catch (CommandRejectedException e) {
            replay = e.reason();
        }
        putAck(root.putObject("ack_refused_replay"), verifier.refuse(envelope, replay, REFUSAL_TIME), REFUSAL_TIME);

        // The gateway challenge.
        ObjectNode challenge = root.putObject("gateway_challenge");
        byte[] challengeNonce = HEX.parseHex(CHALLENGE_NONCE);
        challenge.put("lock_id", LOCK_ID);
        challenge.put("nonce_hex", CHALLENGE_NONCE);
        challenge.put("signed_bytes_hex", HEX.formatHex(Encoding.lengthPrefixed(Encoding.utf8(Encoding.CHALLENGE_SIGNATURE_DOMAIN),
                Encoding.utf8(LOCK_ID), challengeNonce)));
        challenge.put("signature_hex", HEX.formatHex(GatewayChallenge.sign(lockKeys, LOCK_ID, challengeNonce)));

        // Envelopes a lock must refuse, each against the lock state given (defaults: "lock" above).
        ArrayNode negative = root.putArray("must_refuse");
        int lockIdAt = Fixture.indexOf(envelope, Encoding.utf8(LOCK_ID));
        int ciphertextAt = Fixture.indexOf(envelope, ciphertext);
        negative.add(refusal(json, "replay", "the accepted envelope again, once the lock has accepted counter 42",
                envelope, RejectionReason.REPLAYED_COUNTER).put("last_accepted_counter", COUNTER));
        negative.add(refusal(json, "header_byte_flipped", "first byte of the lock id in the header XOR 0x01",
                Fixture.flip(envelope, lockIdAt), RejectionReason.BAD_SIGNATURE));
        negative.add(refusal(json, "ciphertext_byte_flipped", "first ciphertext byte XOR 0x01",
                Fixture.flip(envelope, ciphertextAt), RejectionReason.BAD_SIGNATURE));
        negative.add(refusal(json, "signature_byte_flipped", "last signature byte XOR 0x01",
                Fixture.flip(envelope, envelope.length - 1), RejectionReason.BAD_SIGNATURE));
        negative.add(refusal(json, "expired", "lock clock at exactly expires_at", envelope, RejectionReason.EXPIRED)
                .put("now_unix_ms", EXPIRES_AT.toEpochMilli()));
        negative.add(refusal(json, "not_yet_valid", "lock clock more than the allowed skew before issued_at", envelope,
                RejectionReason.NOT_YET_VALID).put("now_unix_ms", ISSUED_AT.minus(SKEW).minusMillis(1).toEpochMilli()));
        negative.add(refusal(json, "other_lock", "a lock with another lock id (same keys)", envelope, RejectionReason.WRONG_LOCK)
                .put("lock_id", "another-lock"));
        negative.add(refusal(json, "other_epoch", "the lock has been re-enrolled at epoch 4", envelope, RejectionReason.WRONG_EPOCH)
                .put("key_epoch", 4).put("last_accepted_counter", 0));
        negative.add(refusal(json, "revoked_platform_key", "the lock has revoked the platform signing key", envelope,
                RejectionReason.REVOKED_PLATFORM_KEY).set("revoked_key_ids", json.createArrayNode().add(platform.signingKeyId())));
        negative.add(refusal(json, "non_canonical_envelope", "the valid envelope followed by an unknown field 5 = 0x01",
                LockVerifierTest.concat(envelope, LockVerifierTest.field(5, new byte[] {1})), RejectionReason.MALFORMED));
        byte[] tooLong = builder.seal(spec(COUNTER, ISSUED_AT, ISSUED_AT.plus(MAX_LIFETIME).plusMillis(1)), identity).envelope();
        negative.add(refusal(json, "lifetime_too_long", "validly sealed, expires_at = issued_at + 60001 ms", tooLong,
                RejectionReason.LIFETIME_TOO_LONG));
        byte[] otherHeader = builder.seal(spec(COUNTER, ISSUED_AT, EXPIRES_AT.plusMillis(1)), identity).envelope();
        byte[] otherAad = CommandEnvelope.parseFrom(otherHeader).getHeader().toByteArray();
        byte[] wrongAadCiphertext = AesGcm.seal(commandKey, nonce, otherAad, body);
        byte[] wrongAad = Fixture.assemble(header, nonce, wrongAadCiphertext,
                platform.sign(Encoding.commandSignedBytes(header, nonce, wrongAadCiphertext)));
        negative.add(refusal(json, "aad_mismatch", "validly signed; the ciphertext was sealed with another header (expires_at + 1 ms) "
                + "as additional data", wrongAad, RejectionReason.DECRYPTION_FAILED));
        return root;
    }

    private static ObjectNode refusal(ObjectMapper json, String name, String description, byte[] envelope, RejectionReason expected) {
        ObjectNode node = json.createObjectNode();
        node.put("name", name);
        node.put("description", description);
        node.put("envelope_hex", HEX.formatHex(envelope));
        node.put("expected_reason", expected.name());
        return node;
    }

    private static void putAck(ObjectNode node, byte[] signedAck, Instant lockTime) throws Exception {
        dev.portcullis.lock.protocol.wire.SignedAck parsed = dev.portcullis.lock.protocol.wire.SignedAck.parseFrom(signedAck);
        node.put("lock_time_unix_ms", lockTime.toEpochMilli());
        node.put("ack_hex", HEX.formatHex(parsed.getAck().toByteArray()));
        node.put("signed_bytes_hex", HEX.formatHex(Encoding.ackSignedBytes(parsed.getAck().toByteArray())));
        node.put("signature_hex", HEX.formatHex(parsed.getSignature().toByteArray()));
        node.put("signed_ack_hex", HEX.formatHex(signedAck));
    }

    private static void putEd25519(ObjectNode node, String source, String seedHex, PublicKey publicKey) {
        node.put("algorithm", "Ed25519");
        node.put("source", source);
        node.put("private_hex", seedHex);
        node.put("pkcs8_hex", ED25519_PKCS8_PREFIX + seedHex);
        node.put("public_hex", HEX.formatHex(java.util.Arrays.copyOfRange(publicKey.getEncoded(), 12, 44)));
        node.put("spki_hex", HEX.formatHex(publicKey.getEncoded()));
        node.put("key_id", KeyIds.of(publicKey));
    }

    private static void putX25519(ObjectNode node, String source, String privateHex, PublicKey publicKey) {
        node.put("algorithm", "X25519");
        node.put("source", source);
        node.put("private_hex", privateHex);
        node.put("pkcs8_hex", X25519_PKCS8_PREFIX + privateHex);
        node.put("public_hex", HEX.formatHex(java.util.Arrays.copyOfRange(publicKey.getEncoded(), 12, 44)));
        node.put("spki_hex", HEX.formatHex(publicKey.getEncoded()));
        node.put("key_id", KeyIds.of(publicKey));
    }

    static List<String> names() {
        return List.of("platform_signing", "platform_agreement", "lock_signing", "lock_agreement");
    }
}
