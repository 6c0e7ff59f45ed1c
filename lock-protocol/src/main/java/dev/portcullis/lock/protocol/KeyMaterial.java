package dev.portcullis.lock.protocol;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * The JDK primitives the protocol uses, in one place: Ed25519 (RFC 8032) signatures and X25519
 * (RFC 7748) key agreement through the JCA. No arithmetic is done here.
 */
final class KeyMaterial {

    /** The X25519 base point, u = 9 (RFC 7748, section 4.1). */
    private static final XECPublicKeySpec X25519_BASE_POINT = new XECPublicKeySpec(NamedParameterSpec.X25519, BigInteger.valueOf(9));

    private KeyMaterial() {
    }

    static KeyPair generateEd25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required (JDK 15+)", e);
        }
    }

    static KeyPair generateX25519() {
        try {
            return KeyPairGenerator.getInstance("X25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is required (JDK 11+)", e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signatureBytes) {
        if (key == null || message == null || signatureBytes == null || signatureBytes.length != Encoding.ED25519_SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(message);
            return signature.verify(signatureBytes);
        } catch (SignatureException | InvalidKeyException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is required (JDK 15+)", e);
        }
    }

    /** The raw X25519 shared secret (RFC 7748, section 6.1); the JDK refuses an all-zero result. */
    static byte[] agree(PrivateKey own, PublicKey peer) {
        if (!PublicKeys.isX25519(peer)) {
            throw new IllegalArgumentException("key agreement needs an X25519 peer key");
        }
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(own);
            agreement.doPhase(peer, true);
            return agreement.generateSecret();
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("X25519 agreement refused: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 is required (JDK 11+)", e);
        }
    }

    /** The X25519 public key of a private key: X25519(k, 9) (RFC 7748, section 6.1). */
    static PublicKey x25519PublicOf(PrivateKey privateKey) {
        byte[] u = null;
        try {
            KeyAgreement agreement = KeyAgreement.getInstance("X25519");
            agreement.init(privateKey);
            agreement.doPhase(KeyFactory.getInstance("X25519").generatePublic(X25519_BASE_POINT), true);
            u = agreement.generateSecret();
            byte[] bigEndian = new byte[u.length];
            for (int i = 0; i < u.length; i++) {
                bigEndian[i] = u[u.length - 1 - i];
            }
            return KeyFactory.getInstance("X25519")
                    .generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, bigEndian)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not a usable X25519 private key", e);
        } finally {
            if (u != null) {
                Arrays.fill(u, (byte) 0);
            }
        }
    }

    static PrivateKey ed25519Private(byte[] pkcs8) {
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (!(key instanceof EdECPrivateKey edec) || !"Ed25519".equalsIgnoreCase(edec.getParams().getName())) {
                throw new IllegalArgumentException("not an Ed25519 private key");
            }
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid Ed25519 PKCS#8 private key", e);
        }
    }

    static PrivateKey x25519Private(byte[] pkcs8) {
        try {
            PrivateKey key = KeyFactory.getInstance("X25519").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            if (!(key instanceof XECPrivateKey xec) || !(xec.getParams() instanceof NamedParameterSpec named)
                    || !"X25519".equalsIgnoreCase(named.getName())) {
                throw new IllegalArgumentException("not an X25519 private key");
            }
            return key;
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid X25519 PKCS#8 private key", e);
        }
    }

    /** Checks that an Ed25519 key pair belongs together (sign, then verify). */
    static KeyPair checkedEd25519(KeyPair pair) {
        if (pair == null || !PublicKeys.isEd25519(pair.getPublic()) || !(pair.getPrivate() instanceof EdECPrivateKey)) {
            throw new IllegalArgumentException("an Ed25519 key pair is required");
        }
        byte[] probe = Encoding.utf8("portcullis/key-pair-check/v1");
        if (!verify(pair.getPublic(), probe, sign(pair.getPrivate(), probe))) {
            throw new IllegalArgumentException("the Ed25519 public key does not belong to the private key");
        }
        return pair;
    }

    /** Checks that an X25519 key pair belongs together (the public key is X25519(k, 9)). */
    static KeyPair checkedX25519(KeyPair pair) {
        if (pair == null || !PublicKeys.isX25519(pair.getPublic()) || !(pair.getPrivate() instanceof XECPrivateKey)) {
            throw new IllegalArgumentException("an X25519 key pair is required");
        }
        if (!Arrays.equals(x25519PublicOf(pair.getPrivate()).getEncoded(), pair.getPublic().getEncoded())) {
            throw new IllegalArgumentException("the X25519 public key does not belong to the private key");
        }
        return pair;
    }
}
