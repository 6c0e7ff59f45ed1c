package dev.portcullis.simulator.lock;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the person at the door sees: the lock opened, or it did not. */
@RegisterForReflection
public record KeypadResult(boolean opened) {
}
