package dev.portcullis.identity.password;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class Argon2idTest {

    @Test
    void roundTripAndWrongPassword() {
        String hash = Argon2id.hash("correct horse battery staple");
        assertTrue(Argon2id.verify("correct horse battery staple", hash));
        assertFalse(Argon2id.verify("correct horse battery stapl", hash));
        assertFalse(Argon2id.verify("Correct horse battery staple", hash));
        assertFalse(Argon2id.verify("", hash));
    }

    @Test
    void phcStringWithOwaspParametersAndA16ByteSalt() {
        String hash = Argon2id.hash("pw-123456");
        assertTrue(hash.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), hash);
        String[] parts = hash.split("\\$");
        assertTrue(Base64.getDecoder().decode(parts[4]).length == 16);
        assertTrue(Base64.getDecoder().decode(parts[5]).length == 32);
        // A fresh random salt each time.
        assertNotEquals(hash, Argon2id.hash("pw-123456"));
    }

    @Test
    void unicodeIsNormalizedBeforeHashing() {
        // "é" precomposed vs "e" + combining acute accent: the same password to a person.
        String hash = Argon2id.hash("caf\u00e9-p\u00e4ss");
        assertTrue(Argon2id.verify("cafe\u0301-pa\u0308ss", hash));
    }

    @Test
    void unreadableOrForeignHashesNeverVerify() {
        assertFalse(Argon2id.verify("x", null));
        assertFalse(Argon2id.verify("x", ""));
        assertFalse(Argon2id.verify("x", "$2a$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"));
        assertFalse(Argon2id.verify("x", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"));
        // Absurd cost parameters are refused rather than computed.
        assertFalse(Argon2id.verify("x", "$argon2id$v=19$m=99999999,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA"));
    }
}
