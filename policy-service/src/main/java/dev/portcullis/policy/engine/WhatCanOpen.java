package dev.portcullis.policy.engine;

import dev.portcullis.proto.policy.v1.Reason;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one subject can open: every door one of its grants covers, whether it opens now and, if not, when it
 * next does within the horizon.
 */
public record WhatCanOpen(String subjectId, Instant at, Instant until, List<DoorAccess> doors) {

    public WhatCanOpen {
        doors = List.copyOf(doors);
    }

    /**
     * One door.
     *
     * @param openNow      a grant opens it at {@code at} and no lockdown stands in the way (device state and sign-in
     *                     are not known to a review: see {@code notes} and {@code conditions})
     * @param nextOpening  when not open now: the first instant within the horizon a grant opens it; null when none does,
     *                     or when a lockdown blocks it (its end is not known)
     * @param intervals    when its grants open it within [at, until)
     * @param notes        what applies besides the grant: LOCKDOWN, EMERGENCY_OVERRIDE, STEP_UP_REQUIRED (the tier asks for a
     *                     sign-in level), UNUSUAL_HOURS (outside the tier's usual hours now), LOCK_FACTOR_REQUIRED,
     *                     SECOND_APPROVER_REQUIRED
     */
    public record DoorAccess(UUID doorId, String door, UUID propertyId, boolean openNow, Instant nextOpening, List<Interval> intervals,
            List<UUID> grantIds, List<Reason> notes, DoorConditions conditions) {
        public DoorAccess {
            intervals = List.copyOf(intervals);
            grantIds = List.copyOf(grantIds);
            notes = List.copyOf(notes);
        }
    }
}
