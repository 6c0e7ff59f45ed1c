package dev.portcullis.registry.firmware;

import java.util.Set;

/** Where one lock is in a firmware rollout. */
public enum RolloutState {
    PENDING,
    IN_PROGRESS,
    SUCCEEDED,
    FAILED;

    /** PENDING → IN_PROGRESS → SUCCEEDED or FAILED; PENDING → FAILED (never started); FAILED → PENDING (retry). */
    public boolean canMoveTo(RolloutState next) {
        return switch (this) {
            case PENDING -> Set.of(IN_PROGRESS, FAILED).contains(next);
            case IN_PROGRESS -> Set.of(SUCCEEDED, FAILED).contains(next);
            case FAILED -> next == PENDING;
            case SUCCEEDED -> false;
        };
    }
}
