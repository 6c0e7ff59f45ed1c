package dev.portcullis.registry.enrollment;

import io.smallrye.config.ConfigMapping;

/**
 * The platform's public keys, handed to each lock when it enrolls (the private halves live only in
 * command-service's signer). Base64 of the X.509 SubjectPublicKeyInfo (DER). No defaults: environment
 * {@code PORTCULLIS_PLATFORM_SIGNING_PUBLIC_KEY} and {@code PORTCULLIS_PLATFORM_AGREEMENT_PUBLIC_KEY}.
 */
@ConfigMapping(prefix = "portcullis.platform")
public interface PlatformKeysConfig {

    /** Ed25519: the lock verifies every command's signature with it. */
    String signingPublicKey();

    /** X25519: the lock agrees the per-lock command key with it. */
    String agreementPublicKey();
}
