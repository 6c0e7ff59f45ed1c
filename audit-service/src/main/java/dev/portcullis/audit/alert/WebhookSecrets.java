package dev.portcullis.audit.alert;

import dev.portcullis.kit.problem.ProblemException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Webhook signing secrets: generated here ({@code whsec_} + base64 of 32 random bytes), shown once,
 * kept encrypted with AES-256-GCM under a key from configuration. The subscription id is the
 * associated data, so a ciphertext copied onto another subscription does not decrypt.
 */
@ApplicationScoped
public class WebhookSecrets {

    public static final String PREFIX = "whsec_";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();

    @Inject
    AlertConfig config;

    public String generate() {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return PREFIX + Base64.getEncoder().encodeToString(key);
    }

    public byte[] encrypt(String secret, String subscriptionId) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(subscriptionId.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt a webhook secret", e);
        }
    }

    public String decrypt(byte[] stored, String subscriptionId) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key(), new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
            cipher.updateAAD(subscriptionId.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not decrypt a webhook secret (wrong key?)", e);
        }
    }

    public boolean configured() {
        return config.webhooks().secretKey().isPresent();
    }

    private SecretKeySpec key() {
        String encoded = config.webhooks().secretKey().orElseThrow(() -> ProblemException.unavailable(
                "Webhooks are not configured on this deployment (portcullis.audit.alerts.webhooks.secret-key)",
                Duration.ofMinutes(5)));
        byte[] key = Base64.getDecoder().decode(encoded);
        if (key.length != 32) {
            throw new IllegalStateException("portcullis.audit.alerts.webhooks.secret-key must be 32 bytes, base64");
        }
        return new SecretKeySpec(key, "AES");
    }
}
