package dev.portcullis.simulator.lock;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code POST /v1/locks/{id}/inject}: a command envelope (base64), as if it reached the lock. */
@RegisterForReflection
public record InjectRequest(String envelope) {
}
