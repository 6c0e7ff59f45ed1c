package dev.portcullis.simulator.lock;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * What the admin API shows of one virtual lock.
 *
 * @param enrollment    PENDING (not enrolled yet, retrying while the registry is unavailable), ENROLLED,
 *                      REFUSED (the registry said 401: the secret is wrong, used or expired) or FAILED
 * @param sessions      gateway sessions that completed the handshake since the simulator started
 * @param lastCounter   the highest command counter accepted in the current key epoch (0 before enrollment)
 * @param lastEnvelope  base64 of the last command envelope received (gateway or inject), or null
 * @param lastRejection the reason of the last refusal (lock-protocol RejectionReason name), or null
 * @param doorState     the bolt: LOCKED or UNLOCKED (relocks by itself after an unlock)
 * @param doorPosition  the door leaf as last reported through an event: CLOSED, OPEN or AJAR
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LockView(String id, boolean enrolled, String enrollment, boolean connected, int sessions, long actuations, long lastCounter,
        long rejections, String lastEnvelope, String lastRejection, String doorState, String doorPosition, int batteryPercent,
        Integer keyEpoch, String signingKeyId, String agreementKeyId) {
}
