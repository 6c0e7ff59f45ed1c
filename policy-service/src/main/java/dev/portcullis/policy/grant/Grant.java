package dev.portcullis.policy.grant;

import java.time.Instant;
import java.util.UUID;

/** A grant as the decider sees it: who may open the door, when (weekly windows) and for how long. */
public record Grant(UUID id, String subjectId, UUID doorId, Instant validFrom, Instant validUntil, WeeklySchedule schedule) {

    public boolean validAt(Instant at) {
        return (validFrom == null || !at.isBefore(validFrom)) && (validUntil == null || at.isBefore(validUntil));
    }
}
