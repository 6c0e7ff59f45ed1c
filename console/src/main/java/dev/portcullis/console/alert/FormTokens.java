package dev.portcullis.console.alert;

import dev.portcullis.console.operator.SignedInOperator;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Anti-CSRF tokens for the alert form: HMAC-SHA256 (JCA) of the sign-in's access token under a key derived from the
 * session cookie's encryption secret (so every replica computes the same token, and a new sign-in gets a new one).
 * The page carries it in a hidden field; the POST handler checks it before calling audit-service. Another site can
 * neither read the page nor the encrypted session cookie, so a forged POST has no valid token and is refused.
 */
@ApplicationScoped
public class FormTokens {

    /** The hidden field's name. */
    public static final String FIELD = "csrf";

    private final SecretKeySpec key;

    public FormTokens(@ConfigProperty(name = "quarkus.oidc.token-state-manager.encryption-secret") String sessionSecret) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(sessionSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                "portcullis-console alert form v1"), "HmacSHA256");
    }

    public String of(SignedInOperator operator) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, operator.accessToken()));
    }

    /** Throws {@link MissingFormTokenException} (a 403 page) unless {@code given} is this sign-in's token. */
    public void check(SignedInOperator operator, String given) {
        byte[] expected = of(operator).getBytes(StandardCharsets.US_ASCII);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
            throw new MissingFormTokenException();
        }
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** A POST without this sign-in's form token: forged, or from a page of an earlier sign-in. */
    public static class MissingFormTokenException extends RuntimeException {

        public MissingFormTokenException() {
            super("form token missing or not this sign-in's");
        }
    }
}
