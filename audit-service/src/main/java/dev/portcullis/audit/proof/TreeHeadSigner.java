package dev.portcullis.audit.proof;

import java.security.PublicKey;

/** Signs tree heads; key bytes never reach service code, so an HSM/KMS can replace {@link FileTreeHeadSigner}. */
public interface TreeHeadSigner {

    String keyId();

    PublicKey publicKey();

    byte[] sign(byte[] message);
}
