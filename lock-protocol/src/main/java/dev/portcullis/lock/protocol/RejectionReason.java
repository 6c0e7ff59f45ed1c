package dev.portcullis.lock.protocol;

/**
 * Why a lock refused a command, in the order the lock checks (docs/lock-protocol.md, "What a lock
 * checks"). Carried in the signed acknowledgement and in the lock's COMMAND_REJECTED event.
 */
public enum RejectionReason {
    /** Not a well-formed, canonically encoded envelope (or its authenticated body is unusable). */
    MALFORMED(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_MALFORMED),
    UNSUPPORTED_VERSION(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_UNSUPPORTED_VERSION),
    /** The header names a platform key the lock does not trust. */
    UNKNOWN_PLATFORM_KEY(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_UNKNOWN_PLATFORM_KEY),
    /** The header names a platform key the lock has revoked. */
    REVOKED_PLATFORM_KEY(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_REVOKED_PLATFORM_KEY),
    BAD_SIGNATURE(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_BAD_SIGNATURE),
    /** Validly signed, but for another lock. */
    WRONG_LOCK(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_WRONG_LOCK),
    /** Addressed to this lock id, but to an agreement key it does not hold. */
    WRONG_LOCK_KEY(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_WRONG_LOCK_KEY),
    WRONG_EPOCH(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_WRONG_EPOCH),
    DECRYPTION_FAILED(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_DECRYPTION_FAILED),
    /** The counter is not greater than the last one this lock accepted in this epoch (replay or reorder). */
    REPLAYED_COUNTER(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_REPLAYED_COUNTER),
    EXPIRED(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_EXPIRED),
    /** Issued further in the future (lock clock) than the allowed clock skew. */
    NOT_YET_VALID(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_NOT_YET_VALID),
    /** Expiry minus issue time exceeds the lock's maximum command lifetime. */
    LIFETIME_TOO_LONG(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_LIFETIME_TOO_LONG),
    /** The lock could not complete the command (e.g. could not persist its counter); nothing moved. */
    INTERNAL_ERROR(dev.portcullis.lock.protocol.wire.RejectionReason.REJECTION_REASON_INTERNAL_ERROR);

    private final dev.portcullis.lock.protocol.wire.RejectionReason wire;

    RejectionReason(dev.portcullis.lock.protocol.wire.RejectionReason wire) {
        this.wire = wire;
    }

    dev.portcullis.lock.protocol.wire.RejectionReason toWire() {
        return wire;
    }

    /** Null for UNSPECIFIED or a reason this version does not know. */
    static RejectionReason fromWire(dev.portcullis.lock.protocol.wire.RejectionReason reason) {
        for (RejectionReason candidate : values()) {
            if (candidate.wire == reason) {
                return candidate;
            }
        }
        return null;
    }
}
