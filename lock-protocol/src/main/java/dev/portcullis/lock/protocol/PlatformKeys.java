package dev.portcullis.lock.protocol;

import java.security.PublicKey;

/**
 * The platform's command keys, behind an interface so an HSM or KMS can hold them: the private key
 * bytes never leave an implementation.
 */
public interface PlatformKeys {

    /** {@link KeyIds Key id} of the Ed25519 signing key. */
    String signingKeyId();

    /** The Ed25519 public key locks verify commands with. */
    PublicKey signingPublicKey();

    /** Ed25519 (RFC 8032) signature over {@code message}. */
    byte[] sign(byte[] message);

    /** {@link KeyIds Key id} of the X25519 agreement key. */
    String agreementKeyId();

    /** The X25519 public key locks agree their command key with. */
    PublicKey agreementPublicKey();

    /** The raw X25519 (RFC 7748) shared secret with {@code peerX25519}; the caller wipes it after use. */
    byte[] agree(PublicKey peerX25519);
}
