package dev.portcullis.lock.protocol;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.EdECPublicKey;
import java.security.interfaces.XECPublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Decoders for the two public key types of the protocol, from X.509 SubjectPublicKeyInfo (DER).
 * Anything else (another curve, trailing bytes, a non-canonical encoding) is refused with
 * {@link IllegalArgumentException}, so a key has exactly one encoding and one {@link KeyIds key id}.
 */
public final class PublicKeys {

    private PublicKeys() {
    }

    /** An Ed25519 (RFC 8032) public key. */
    public static PublicKey ed25519(byte[] spki) {
        PublicKey key = decode("Ed25519", spki);
        if (!(key instanceof EdECPublicKey edec) || !"Ed25519".equalsIgnoreCase(edec.getParams().getName())) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return key;
    }

    /** An X25519 (RFC 7748) public key. */
    public static PublicKey x25519(byte[] spki) {
        PublicKey key = decode("X25519", spki);
        if (!(key instanceof XECPublicKey xec) || !(xec.getParams() instanceof NamedParameterSpec named)
                || !"X25519".equalsIgnoreCase(named.getName())) {
            throw new IllegalArgumentException("not an X25519 public key");
        }
        return key;
    }

    /** True if the key is an Ed25519 public key. */
    static boolean isEd25519(PublicKey key) {
        return key instanceof EdECPublicKey edec && "Ed25519".equalsIgnoreCase(edec.getParams().getName());
    }

    /** True if the key is an X25519 public key. */
    static boolean isX25519(PublicKey key) {
        return key instanceof XECPublicKey xec && xec.getParams() instanceof NamedParameterSpec named
                && "X25519".equalsIgnoreCase(named.getName());
    }

    private static PublicKey decode(String algorithm, byte[] spki) {
        if (spki == null || spki.length == 0) {
            throw new IllegalArgumentException("empty " + algorithm + " public key");
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance(algorithm).generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid " + algorithm + " SubjectPublicKeyInfo", e);
        }
        if (!Arrays.equals(key.getEncoded(), spki)) {
            throw new IllegalArgumentException("non-canonical " + algorithm + " SubjectPublicKeyInfo");
        }
        return key;
    }
}
