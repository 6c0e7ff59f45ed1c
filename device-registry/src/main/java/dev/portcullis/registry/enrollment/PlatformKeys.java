package dev.portcullis.registry.enrollment;

import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.lock.protocol.PublicKeys;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.util.Base64;
import java.util.function.Function;

/**
 * The platform's public keys as locks receive them, decoded and validated once at startup: a
 * misconfigured key stops the service instead of being handed to a lock.
 */
@Startup
@ApplicationScoped
public class PlatformKeys {

    /** One public key as a lock receives it. */
    public record Key(String keyId, String spki) {
    }

    private final Key signing;
    private final Key agreement;

    @Inject
    PlatformKeys(PlatformKeysConfig config) {
        this.signing = decode("portcullis.platform.signing-public-key", config.signingPublicKey(), PublicKeys::ed25519);
        this.agreement = decode("portcullis.platform.agreement-public-key", config.agreementPublicKey(), PublicKeys::x25519);
    }

    public Key signing() {
        return signing;
    }

    public Key agreement() {
        return agreement;
    }

    private static Key decode(String property, String base64, Function<byte[], PublicKey> decoder) {
        PublicKey key;
        try {
            key = decoder.apply(Base64.getDecoder().decode(base64.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + " is not a valid base64 X.509 SubjectPublicKeyInfo of the right type: "
                    + e.getMessage());
        }
        return new Key(KeyIds.of(key), Base64.getEncoder().encodeToString(key.getEncoded()));
    }
}
