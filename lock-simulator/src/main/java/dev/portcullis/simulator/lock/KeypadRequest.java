package dev.portcullis.simulator.lock;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** {@code POST /v1/locks/{id}/keypad}: the digits someone types at the door. */
@RegisterForReflection
public record KeypadRequest(String pin) {
}
