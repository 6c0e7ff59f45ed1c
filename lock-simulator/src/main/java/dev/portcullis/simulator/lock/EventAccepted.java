package dev.portcullis.simulator.lock;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** An event sent up the gateway stream: the id the lock gave it and its gateway type. */
@RegisterForReflection
public record EventAccepted(String eventId, String type) {
}
