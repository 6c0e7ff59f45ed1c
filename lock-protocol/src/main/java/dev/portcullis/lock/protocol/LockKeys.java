package dev.portcullis.lock.protocol;

import java.security.PublicKey;

/**
 * A lock's own keys, behind an interface so a secure element can hold them: the private key bytes
 * never leave an implementation.
 */
public interface LockKeys {

    /** {@link KeyIds Key id} of the Ed25519 signing key (acknowledgements, gateway challenges). */
    String signingKeyId();

    PublicKey signingPublicKey();

    /** Ed25519 (RFC 8032) signature over {@code message}. */
    byte[] sign(byte[] message);

    /** {@link KeyIds Key id} of the X25519 agreement key. */
    String agreementKeyId();

    PublicKey agreementPublicKey();

    /** The raw X25519 (RFC 7748) shared secret with {@code peerX25519}; the caller wipes it after use. */
    byte[] agree(PublicKey peerX25519);
}
