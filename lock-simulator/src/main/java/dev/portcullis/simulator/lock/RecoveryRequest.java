package dev.portcullis.simulator.lock;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code POST /v1/locks/{id}/recovery}: the orphan-recovery challenge entered at the lock (base64). */
@RegisterForReflection
public record RecoveryRequest(String challenge) {
}
