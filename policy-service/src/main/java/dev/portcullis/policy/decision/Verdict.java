package dev.portcullis.policy.decision;

import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.policy.door.Assurance;
import java.util.UUID;

/** The outcome of one decision, with the reason and a human explanation for operators. */
public record Verdict(boolean permit, Reason reason, UUID grantId, String explanation, Assurance stepUp) {

    public static Verdict permit(UUID grantId, String explanation) {
        return new Verdict(true, Reason.REASON_GRANT_MATCHED, grantId, explanation, null);
    }

    /** Permitted once the requester signs in again as {@code stepUp} asks (RFC 9470); not before. */
    public static Verdict permitAfterStepUp(UUID grantId, String explanation, Assurance stepUp) {
        return new Verdict(true, Reason.REASON_STEP_UP_REQUIRED, grantId, explanation, stepUp);
    }

    public static Verdict deny(Reason reason, String explanation) {
        return new Verdict(false, reason, null, explanation, null);
    }
}
