package dev.portcullis.registry.enrollment;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What a lock sends to enroll: its one-time secret and its two public keys (base64 of the X.509
 * SubjectPublicKeyInfo, DER), plus the firmware it runs.
 */
@RegisterForReflection
public record EnrollmentRequest(String enrollmentSecret, String signingKey, String agreementKey, String firmwareVersion) {
}
