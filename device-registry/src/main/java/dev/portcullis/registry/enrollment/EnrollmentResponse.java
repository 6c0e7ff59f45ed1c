package dev.portcullis.registry.enrollment;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What an enrolled lock learns: its key ids and epoch, and the platform's public keys it must trust. */
@RegisterForReflection
public record EnrollmentResponse(String lockId, int keyEpoch, String signingKeyId, String agreementKeyId, Platform platform) {

    @RegisterForReflection
    public record Platform(PlatformKeys.Key signingKey, PlatformKeys.Key agreementKey) {
    }
}
