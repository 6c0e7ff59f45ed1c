package dev.portcullis.simulator.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the lock did with an injected envelope.
 *
 * @param accepted  true if it passed every check and the lock actuated
 * @param reason    why it was refused (lock-protocol RejectionReason name), or null
 * @param signedAck base64 of the lock's signed acknowledgement (lock-protocol SignedAck), EXECUTED or REFUSED
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record InjectResult(boolean accepted, String reason, String signedAck) {
}
