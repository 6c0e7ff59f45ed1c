package dev.portcullis.identity.mfa;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** A new TOTP seed and the otpauth:// URI authenticator apps import (Key Uri Format). */
public final class TotpEnrollment {

    /** 160 bits, the HMAC-SHA1 block-size recommendation of RFC 4226 §4. */
    public static final int SEED_BYTES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TotpEnrollment() {
    }

    public static byte[] newSeed() {
        byte[] seed = new byte[SEED_BYTES];
        RANDOM.nextBytes(seed);
        return seed;
    }

    public static String uri(String issuer, String username, byte[] seed) {
        String label = encode("Portcullis") + ":" + encode(username);
        return "otpauth://totp/" + label + "?secret=" + TotpSecrets.encode(seed) + "&issuer=" + encode("Portcullis")
                + "&algorithm=SHA1&digits=" + Totp.DIGITS + "&period=" + Totp.STEP_SECONDS;
    }

    /** The base32 secret in groups of four, for typing into an app. */
    public static String display(byte[] seed) {
        return String.join(" ", TotpSecrets.encode(seed).split("(?<=\\G.{4})"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
