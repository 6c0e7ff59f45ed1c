package dev.portcullis.policy.decision;

import dev.portcullis.policy.grant.Grant;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;

/** The pure decision: given a door's zone, the subject's grants on it and an instant, permit or deny. */
public final class Decider {

    private Decider() {
    }

    public static Verdict decide(ZoneId zone, List<Grant> grants, Instant at) {
        if (grants.isEmpty()) {
            return Verdict.deny(Reason.REASON_NO_GRANT, "no grant names this subject for this door");
        }
        ZonedDateTime local = at.atZone(zone);
        boolean anyValidNow = false;
        for (Grant grant : grants) {
            if (!grant.validAt(at)) {
                continue;
            }
            anyValidNow = true;
            if (grant.schedule().contains(local)) {
                return Verdict.permit(grant.id(), "grant " + grant.id() + " allows " + grant.schedule() + " (" + zone + "); now "
                        + local.toLocalDateTime().withNano(0) + " " + local.getDayOfWeek());
            }
        }
        if (!anyValidNow) {
            return Verdict.deny(Reason.REASON_GRANT_NOT_VALID_NOW, "the subject's grants on this door are not valid at this time");
        }
        return Verdict.deny(Reason.REASON_OUTSIDE_SCHEDULE, "local time " + local.toLocalDateTime().withNano(0) + " "
                + local.getDayOfWeek() + " (" + zone + ") is outside every window of the subject's grants");
    }
}
