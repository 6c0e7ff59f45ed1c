package dev.portcullis.simulator.lock;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.lock.protocol.PublicKeys;
import dev.portcullis.lock.protocol.TrustedPlatformKeys;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.util.Base64;

/**
 * A lock's enrollment as it keeps it on disk ({@code enrollment.json}): its key epoch, the key ids the
 * registry recorded, and the platform public keys it trusts (its trust anchors, base64 SPKI).
 *
 * @param secretFingerprint SHA-256 (domain-separated) of the already consumed enrollment secret, so a
 *                          lock re-provisioned with a new secret can tell; never the secret itself
 */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrollmentRecord(String lockId, int keyEpoch, String signingKeyId, String agreementKeyId, String platformSigningKey,
        String platformAgreementKey, String secretFingerprint, String enrolledAt) {

    /** The platform keys this lock trusts, decoded and checked. */
    public TrustedPlatformKeys trustedPlatformKeys() {
        return new TrustedPlatformKeys(PublicKeys.ed25519(Base64.getDecoder().decode(platformSigningKey)),
                PublicKeys.x25519(Base64.getDecoder().decode(platformAgreementKey)));
    }

    public String platformSigningKeyId() {
        return KeyIds.ofSpki(Base64.getDecoder().decode(platformSigningKey));
    }
}
