package dev.portcullis.lock.protocol;

import java.nio.file.Path;
import java.security.KeyPair;

/**
 * A lock's keys held in memory (simulator, tests). A real lock keeps them in a secure element behind
 * {@link LockKeys}. They can be stored and loaded as PEM files (PKCS#8 + SubjectPublicKeyInfo).
 */
public final class InMemoryLockKeys extends KeyPairHolder implements LockKeys {

    /**
     * @param signing   an Ed25519 key pair
     * @param agreement an X25519 key pair
     */
    public InMemoryLockKeys(KeyPair signing, KeyPair agreement) {
        super(signing, agreement);
    }

    public static InMemoryLockKeys generate() {
        return new InMemoryLockKeys(KeyMaterial.generateEd25519(), KeyMaterial.generateX25519());
    }

    /**
     * From encoded keys: the Ed25519 PKCS#8 private key and its SubjectPublicKeyInfo, and the X25519
     * PKCS#8 private key (its public key is derived).
     */
    public static InMemoryLockKeys fromEncoded(byte[] signingPkcs8, byte[] signingSpki, byte[] agreementPkcs8) {
        var agreementPrivate = KeyMaterial.x25519Private(agreementPkcs8);
        return new InMemoryLockKeys(new KeyPair(PublicKeys.ed25519(signingSpki), KeyMaterial.ed25519Private(signingPkcs8)),
                new KeyPair(KeyMaterial.x25519PublicOf(agreementPrivate), agreementPrivate));
    }

    /** Reads keys written by {@link #store(Path, Path)}. */
    public static InMemoryLockKeys load(Path signingPem, Path agreementPem) {
        return new InMemoryLockKeys(PemKeyFiles.readEd25519(signingPem), PemKeyFiles.readX25519(agreementPem));
    }

    /** Writes both key pairs as PEM, owner-only (0600); never overwrites an existing file. */
    public void store(Path signingPem, Path agreementPem) {
        PemKeyFiles.write(signingPem, signingPair());
        PemKeyFiles.write(agreementPem, agreementPair());
    }

    /** The Ed25519 private key, PKCS#8 DER: for persisting the simulated lock's keys. */
    public byte[] signingPrivateKeyPkcs8() {
        return signingPair().getPrivate().getEncoded();
    }

    /** The X25519 private key, PKCS#8 DER: for persisting the simulated lock's keys. */
    public byte[] agreementPrivateKeyPkcs8() {
        return agreementPair().getPrivate().getEncoded();
    }
}
