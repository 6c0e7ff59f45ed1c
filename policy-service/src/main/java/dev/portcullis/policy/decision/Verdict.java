package dev.portcullis.policy.decision;

import dev.portcullis.proto.policy.v1.Reason;
import java.util.UUID;

/** The outcome of one decision, with the reason and a human explanation for operators. */
public record Verdict(boolean permit, Reason reason, UUID grantId, String explanation) {

    public static Verdict permit(UUID grantId, String explanation) {
        return new Verdict(true, Reason.REASON_GRANT_MATCHED, grantId, explanation);
    }

    public static Verdict deny(Reason reason, String explanation) {
        return new Verdict(false, reason, null, explanation);
    }
}
