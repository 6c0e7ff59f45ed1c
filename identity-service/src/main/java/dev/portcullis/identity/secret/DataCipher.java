package dev.portcullis.identity.secret;

import dev.portcullis.identity.IdentityConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (TOTP seeds) with AES-256-GCM under the configured data key. Each value is
 * bound to its context (e.g. the account it belongs to) as associated data, so a ciphertext copied to
 * another row does not decrypt. Layout: version (1 byte) | nonce (12 bytes) | ciphertext + tag.
 */
@ApplicationScoped
public class DataCipher {

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private SecureRandom random = new SecureRandom();
    private SecretKey key;

    @Inject
    public DataCipher(IdentityConfig config) {
        this(decodeKey(config.dataKey()));
    }

    public DataCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the data key must be 32 bytes");
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    private static byte[] decodeKey(String base64) {
        try {
            return Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("portcullis.identity.data-key must be base64 of 32 random bytes");
        }
    }

    public byte[] encrypt(byte[] plaintext, String context) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(aad(context));
            byte[] sealed = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + sealed.length).put(VERSION).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Decrypts; throws {@link IllegalStateException} when the value was tampered with or belongs elsewhere. */
    public byte[] decrypt(byte[] stored, String context) {
        if (stored == null || stored.length < 1 + NONCE_BYTES + TAG_BITS / 8 || stored[0] != VERSION) {
            throw new IllegalStateException("not a sealed value");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 1, NONCE_BYTES));
            cipher.updateAAD(aad(context));
            return cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a sealed value failed to decrypt (wrong key, wrong context or tampered)");
        }
    }

    private static byte[] aad(String context) {
        return ("portcullis-identity:v1:" + context).getBytes(StandardCharsets.UTF_8);
    }
}
