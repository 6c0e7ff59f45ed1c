package dev.portcullis.simulator.lock;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the lock's display shows in recovery mode: its answer to the challenge (base64 Ed25519 signature). */
@RegisterForReflection
public record RecoveryAnswer(String answer) {
}
