package dev.portcullis.registry.enrollment;

import java.util.UUID;

/** A lock that just enrolled. */
public record Enrolled(UUID lockId, int keyEpoch, String signingKeyId, String agreementKeyId) {
}
