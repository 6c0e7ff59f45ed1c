package dev.portcullis.console.form;

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
 * Anti-CSRF tokens for the console's forms, bound to the sign-in: HMAC-SHA256 of the session's access token
 * under a key derived (HMAC-SHA256) from the session cookie's encryption secret. A page with a form carries the
 * token in a hidden field; every POST handler checks it before doing anything. Another site cannot read the
 * token (same-origin policy, encrypted session cookie), so a forged POST carries none and is refused.
 */
@ApplicationScoped
public class FormToken {

    /** The hidden field's name. */
    public static final String FIELD = "csrf";

    private final SecretKeySpec key;

    public FormToken(@ConfigProperty(name = "quarkus.oidc.token-state-manager.encryption-secret") String sessionSecret) {
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(sessionSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"),
                "portcullis-console form tokens v1"), "HmacSHA256");
    }

    /** The token forms of this operator's session carry. */
    public String of(SignedInOperator operator) {
        return of(operator.accessToken());
    }

    /** The token forms of the session holding this access token carry (operators and tenants alike). */
    public String of(String accessToken) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, accessToken));
    }

    /** Refuses (403 page) a form whose token is missing or is not this session's. */
    public void check(SignedInOperator operator, String given) {
        check(operator.accessToken(), given);
    }

    /** Refuses (403 page) a form whose token is missing or is not that of the session holding this access token. */
    public void check(String accessToken, String given) {
        byte[] expected = of(accessToken).getBytes(StandardCharsets.US_ASCII);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
            throw new FormTokenRefusedException();
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

    /** A POST without this session's form token (a forged request, or a form from an earlier sign-in). */
    public static class FormTokenRefusedException extends RuntimeException {

        public FormTokenRefusedException() {
            super("form token missing or not this session's");
        }
    }
}
