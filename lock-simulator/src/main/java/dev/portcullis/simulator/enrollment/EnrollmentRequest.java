package dev.portcullis.simulator.enrollment;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a lock sends to {@code POST /v1/locks/{lockId}/enrollment}: its one-time secret, its public keys
 * (base64 of the X.509 SubjectPublicKeyInfo, DER) and its firmware version.
 */
@RegisterForReflection
public record EnrollmentRequest(String enrollmentSecret, String signingKey, String agreementKey, String firmwareVersion) {

    @Override
    public String toString() {
        return "EnrollmentRequest[secret=<redacted>, firmwareVersion=" + firmwareVersion + "]";
    }
}
