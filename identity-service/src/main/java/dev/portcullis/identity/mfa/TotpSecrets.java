package dev.portcullis.identity.mfa;

import java.util.Locale;
import org.apache.commons.codec.binary.Base32;

/** TOTP secrets as people and authenticator apps exchange them: RFC 4648 base32. */
public final class TotpSecrets {

    private TotpSecrets() {
    }

    /** Decodes a base32 secret (spaces and case ignored, padding optional); at least 80 bits (RFC 4226 §4). */
    public static byte[] decode(String base32) {
        String clean = base32 == null ? "" : base32.replace(" ", "").replace("=", "").toUpperCase(Locale.ROOT);
        if (clean.isEmpty() || !clean.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7'))) {
            throw new IllegalArgumentException("a TOTP secret must be base32 (A-Z, 2-7)");
        }
        byte[] key = new Base32().decode(clean);
        if (key.length < 10) {
            throw new IllegalArgumentException("a TOTP secret must have at least 80 bits");
        }
        return key;
    }

    public static String encode(byte[] key) {
        return new Base32().encodeToString(key).replace("=", "");
    }
}
