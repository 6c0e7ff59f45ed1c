package dev.portcullis.lock.protocol;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The primitives the protocol uses, in one place: Ed25519 (RFC 8032) signatures and X25519 (RFC 7748)
 * key agreement — keys from the JCA, arithmetic from BouncyCastle. No arithmetic is done here.
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
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, new Ed25519PrivateKeyParameters(rawPrivate(key)));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signatureBytes) {
        if (key == null || message == null || signatureBytes == null || signatureBytes.length != Encoding.ED25519_SIGNATURE_BYTES) {
            return false;
        }
        byte[] raw = rawPublic(key, ED25519_SPKI_PREFIX);
        if (raw == null) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(raw));
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signatureBytes);
    }

    /** The raw X25519 shared secret (RFC 7748, section 6.1); an all-zero result (a small-order peer key) is refused. */
    static byte[] agree(PrivateKey own, PublicKey peer) {
        byte[] raw = PublicKeys.isX25519(peer) ? rawPublic(peer, X25519_SPKI_PREFIX) : null;
        if (raw == null) {
            throw new IllegalArgumentException("key agreement needs an X25519 peer key");
        }
        if (!(own instanceof XECPrivateKey xec) || xec.getScalar().isEmpty()) {
            throw new IllegalArgumentException("key agreement needs an X25519 private key");
        }
        byte[] scalar = xec.getScalar().get();
        try {
            X25519Agreement agreement = new X25519Agreement();
            agreement.init(new X25519PrivateKeyParameters(scalar));
            byte[] secret = new byte[agreement.getAgreementSize()];
            agreement.calculateAgreement(new X25519PublicKeyParameters(raw), secret, 0);
            return secret;
        } catch (IllegalStateException zero) {
            throw new IllegalArgumentException("X25519 agreement refused: " + zero.getMessage(), zero);
        } finally {
            Arrays.fill(scalar, (byte) 0);
        }
    }

    /*
     * Ed25519 and X25519 arithmetic is BouncyCastle's (org.bouncycastle.math.ec.rfc8032 / rfc7748, constant
     * time), several times faster than the JDK's; keys stay JCA keys, read as their raw RFC 8032 / 7748 bytes.
     */
    private static final byte[] ED25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final byte[] X25519_SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};

    private static byte[] rawPrivate(PrivateKey key) {
        if (key instanceof EdECPrivateKey edec && "Ed25519".equalsIgnoreCase(edec.getParams().getName()) && edec.getBytes().isPresent()) {
            return edec.getBytes().get();
        }
        throw new IllegalArgumentException("signing needs an Ed25519 private key");
    }

    /** The 32 raw bytes of an Ed25519 or X25519 public key (from its SubjectPublicKeyInfo), or null if it is not one. */
    private static byte[] rawPublic(PublicKey key, byte[] prefix) {
        byte[] spki = key.getEncoded();
        if (spki == null || spki.length != prefix.length + 32 || !Arrays.equals(spki, 0, prefix.length, prefix, 0, prefix.length)) {
            return null;
        }
        return Arrays.copyOfRange(spki, prefix.length, spki.length);
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
