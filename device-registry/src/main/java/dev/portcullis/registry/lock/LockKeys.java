package dev.portcullis.registry.lock;

import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.lock.protocol.PublicKeys;
import java.security.PublicKey;

/**
 * A lock's validated public keys: an Ed25519 signing key and an X25519 agreement key, each as its
 * canonical X.509 SubjectPublicKeyInfo (DER) with its key id.
 */
public record LockKeys(PublicKey signingKey, String signingKeyId, PublicKey agreementKey, String agreementKeyId) {

    /**
     * Decodes and validates both keys.
     *
     * @throws IllegalArgumentException naming which key is not what it must be
     */
    public static LockKeys decode(byte[] signingSpki, byte[] agreementSpki) {
        PublicKey signing;
        try {
            signing = PublicKeys.ed25519(signingSpki);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("signingKey must be an Ed25519 public key (X.509 SubjectPublicKeyInfo, DER)");
        }
        PublicKey agreement;
        try {
            agreement = PublicKeys.x25519(agreementSpki);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("agreementKey must be an X25519 public key (X.509 SubjectPublicKeyInfo, DER)");
        }
        return new LockKeys(signing, KeyIds.of(signing), agreement, KeyIds.of(agreement));
    }

    public byte[] signingSpki() {
        return signingKey.getEncoded();
    }

    public byte[] agreementSpki() {
        return agreementKey.getEncoded();
    }
}
