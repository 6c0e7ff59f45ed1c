package dev.portcullis.identity.secret;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random bearer values (flow ids, authorization codes) and the digests they are stored under. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /** 256 random bits, base64url without padding (43 characters). */
    public static String random256() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return URL.encodeToString(bytes);
    }

    /** SHA-256 of the value's UTF-8 bytes: what the database keeps instead of the bearer value. */
    public static byte[] sha256(String value) {
        return sha256(value.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] sha256(byte[] value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** The key a bearer value is stored under: base64url of its SHA-256. */
    public static String storageKey(String value) {
        return URL.encodeToString(sha256(value));
    }

    /** Base64url (no padding) of SHA-256(ASCII(value)): the PKCE S256 transform (RFC 7636 §4.2). */
    public static String s256(String value) {
        return URL.encodeToString(sha256(value.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Constant-time comparison of two strings' UTF-8 bytes. */
    public static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
