package dev.portcullis.lock.protocol;

import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * Key identifiers: base64url (no padding) of the first 16 bytes of SHA-256 over the key's X.509
 * SubjectPublicKeyInfo (DER) encoding. 22 characters; stable for a key, independent of where it is stored.
 */
public final class KeyIds {

    private static final int ID_BYTES = 16;

    private KeyIds() {
    }

    public static String of(PublicKey key) {
        if (key == null || key.getEncoded() == null) {
            throw new IllegalArgumentException("a key id needs a public key with an X.509 encoding");
        }
        return ofSpki(key.getEncoded());
    }

    /** The key id of a DER SubjectPublicKeyInfo. */
    public static String ofSpki(byte[] spki) {
        byte[] digest = Encoding.sha256(spki);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, ID_BYTES));
    }
}
