package dev.portcullis.simulator.enrollment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** device-registry's answer to a successful enrollment: the lock's key ids and epoch, and the platform keys to trust. */
@RegisterForReflection
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnrollmentResponse(String lockId, int keyEpoch, String signingKeyId, String agreementKeyId, Platform platform) {

    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Platform(Key signingKey, Key agreementKey) {
    }

    /** A platform public key: its key id and base64 SubjectPublicKeyInfo. */
    @RegisterForReflection
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Key(String keyId, String spki) {
    }
}
