package dev.portcullis.lock.protocol;

import java.nio.file.Path;

/**
 * Platform keys loaded from two PEM files (mounted from a secret in production): the Ed25519 signing
 * key and the X25519 agreement key, each a PKCS#8 "PRIVATE KEY" block followed by its "PUBLIC KEY"
 * block. An HSM/KMS-backed {@link PlatformKeys} can replace this class without touching callers.
 */
public final class FilePlatformKeys extends KeyPairHolder implements PlatformKeys {

    private FilePlatformKeys(Path signingPem, Path agreementPem) {
        super(PemKeyFiles.readEd25519(signingPem), PemKeyFiles.readX25519(agreementPem));
    }

    /**
     * Loads both keys; fails if a file is missing, unreadable, of the wrong algorithm, or its public
     * block does not match its private key.
     */
    public static FilePlatformKeys load(Path signingPem, Path agreementPem) {
        return new FilePlatformKeys(signingPem, agreementPem);
    }

    /**
     * Generates a fresh Ed25519 and X25519 key pair, writes them with owner-only (0600) permissions, and
     * returns them loaded. Never overwrites: fails if either file already exists.
     */
    public static FilePlatformKeys generate(Path signingPem, Path agreementPem) {
        if (signingPem.toFile().exists() || agreementPem.toFile().exists()) {
            throw new IllegalStateException("refusing to overwrite existing platform key file(s): " + signingPem + ", " + agreementPem);
        }
        PemKeyFiles.write(signingPem, KeyMaterial.generateEd25519());
        PemKeyFiles.write(agreementPem, KeyMaterial.generateX25519());
        return load(signingPem, agreementPem);
    }
}
