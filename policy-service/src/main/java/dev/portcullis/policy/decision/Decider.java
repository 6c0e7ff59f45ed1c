package dev.portcullis.policy.decision;

import dev.portcullis.kit.auth.AssuranceLevel;
import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.grant.Grant;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/** The pure decision: given a door's zone, the subject's grants on it and an instant, permit or deny. */
public final class Decider {

    private Decider() {
    }

    /** How the requester signed in, as the access token says: {@code acr} and {@code auth_time} (either may be null). */
    public record SignIn(String acr, Instant authTime) {
        public static final SignIn UNKNOWN = new SignIn(null, null);
    }

    public static Verdict decide(ZoneId zone, List<Grant> grants, Instant at) {
        return decide(zone, grants, at, Assurance.NONE, SignIn.UNKNOWN);
    }

    /**
     * Decides by the grants first; a permit for a door that asks more of the sign-in than the request
     * carries becomes a permit with a step-up obligation (the requester is told only after a grant matched,
     * so a step-up never hints at doors the requester cannot open anyway).
     */
    public static Verdict decide(ZoneId zone, List<Grant> grants, Instant at, Assurance door, SignIn signIn) {
        Verdict verdict = decideByGrants(zone, grants, at);
        if (!verdict.permit() || !door.any()) {
            return verdict;
        }
        List<String> missing = new ArrayList<>();
        if (door.requiredAcr() != null && !AssuranceLevel.satisfies(signIn.acr(), door.requiredAcr())) {
            missing.add("the door needs acr " + door.requiredAcr() + ", the sign-in has " + (signIn.acr() == null ? "none" : signIn.acr()));
        }
        if (door.maxAuthAge() != null && (signIn.authTime() == null
                || signIn.authTime().plus(door.maxAuthAge()).isBefore(at) || signIn.authTime().isAfter(at.plusSeconds(60)))) {
            missing.add("the door needs a sign-in within the last " + door.maxAuthAge().toSeconds() + " s, the sign-in was at "
                    + (signIn.authTime() == null ? "an unknown time" : signIn.authTime().toString()));
        }
        if (missing.isEmpty()) {
            return verdict;
        }
        return Verdict.permitAfterStepUp(verdict.grantId(), verdict.explanation() + "; step-up required: " + String.join("; ", missing),
                door);
    }

    private static Verdict decideByGrants(ZoneId zone, List<Grant> grants, Instant at) {
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
