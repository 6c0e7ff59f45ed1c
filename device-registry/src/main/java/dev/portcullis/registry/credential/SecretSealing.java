package dev.portcullis.registry.credential;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Keeps PIN digits and card UIDs unreadable at rest. From the configured key (never stored in the
 * database) HKDF-SHA-256 derives two keys: one seals a secret with AES-256-GCM, bound to its credential
 * and organization as associated data (a sealed secret copied to another row does not open); the other
 * keys an HMAC-SHA-256 of lock id and secret, so the registry can refuse a PIN a lock already holds without
 * storing anything a stolen database could brute-force offline.
 */
@ApplicationScoped
public class SecretSealing {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    @Inject
    CredentialConfig config;

    private final SecureRandom random = new SecureRandom();
    private SecretKeySpec sealingKey;
    private SecretKeySpec lookupKey;

    @PostConstruct
    void init() {
        byte[] master;
        try {
            master = Base64.getDecoder().decode(config.key().strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("portcullis.credentials.key is not base64");
        }
        if (master.length != 32) {
            throw new IllegalStateException("portcullis.credentials.key must be 32 random bytes (base64)");
        }
        sealingKey = new SecretKeySpec(derive(master, "portcullis/registry/credential-sealing/v1"), "AES");
        lookupKey = new SecretKeySpec(derive(master, "portcullis/registry/credential-lookup/v1"), "HmacSHA256");
        Arrays.fill(master, (byte) 0);
    }

    private static byte[] derive(byte[] master, String info) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(master, null, info.getBytes(StandardCharsets.UTF_8)));
        byte[] key = new byte[32];
        hkdf.generateBytes(key, 0, key.length);
        return key;
    }

    public String keyId() {
        return config.keyId();
    }

    /** nonce || ciphertext || tag. */
    public byte[] seal(byte[] secret, UUID credentialId, UUID organizationId) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, sealingKey, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(credentialId, organizationId));
            byte[] sealed = cipher.doFinal(secret);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    /** The secret; IllegalStateException when the bytes were not sealed for this credential with this key. */
    public byte[] open(byte[] sealed, UUID credentialId, UUID organizationId) {
        if (sealed == null || sealed.length <= NONCE_BYTES) {
            throw new IllegalStateException("no sealed secret");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, sealingKey, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData(credentialId, organizationId));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the sealed secret of credential " + credentialId + " does not open with key " + config.keyId());
        }
    }

    /** HMAC(lookup key, lock id || secret): equal for the same secret on the same lock only. */
    public byte[] lookup(UUID lockId, byte[] secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(lookupKey);
            mac.update(uuid(lockId));
            return mac.doFinal(secret);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA-256 is unavailable", e);
        }
    }

    /** Random bytes (an offline-code secret). */
    public byte[] randomSecret(int bytes) {
        byte[] secret = new byte[bytes];
        random.nextBytes(secret);
        return secret;
    }

    /** Random decimal digits (uniform: SecureRandom.nextInt per digit). */
    public String randomPin(int digits) {
        StringBuilder pin = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            pin.append((char) ('0' + random.nextInt(10)));
        }
        return pin.toString();
    }

    private static byte[] associatedData(UUID credentialId, UUID organizationId) {
        return ByteBuffer.allocate(32).put(uuid(credentialId)).put(uuid(organizationId)).array();
    }

    private static byte[] uuid(UUID id) {
        return ByteBuffer.allocate(16).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits()).array();
    }
}
