package dev.portcullis.identity.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DataCipherTest {

    private static byte[] key() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }

    @Test
    void roundTripsAndHidesThePlaintext() {
        DataCipher cipher = new DataCipher(key());
        byte[] secret = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);
        byte[] sealed = cipher.encrypt(secret, "account:a:totp");
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("1234567890"));
        assertArrayEquals(secret, cipher.decrypt(sealed, "account:a:totp"));
        // Random nonce: the same value seals differently each time.
        assertFalse(Arrays.equals(sealed, cipher.encrypt(secret, "account:a:totp")));
    }

    @Test
    void aValueDoesNotOpenInAnotherContextUnderAnotherKeyOrWhenTampered() {
        DataCipher cipher = new DataCipher(key());
        byte[] sealed = cipher.encrypt(new byte[] {1, 2, 3}, "account:a:totp");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(sealed, "account:b:totp"));
        assertThrows(IllegalStateException.class, () -> new DataCipher(key()).decrypt(sealed, "account:a:totp"));
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(tampered, "account:a:totp"));
        assertThrows(IllegalArgumentException.class, () -> new DataCipher(new byte[16]));
    }
}
