package dev.portcullis.command.unlock;

import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.Obligation;
import dev.portcullis.proto.policy.v1.SecondApprover;
import dev.portcullis.proto.policy.v1.StepUp;

/**
 * The obligations a policy permit comes with, and which of them this service meets. NOTIFY is met by
 * the decision event itself (audit and alerting consume it). A STEP_UP is never met here: policy sends
 * it only when the token's sign-in falls short, and the requester answers it by signing in again
 * (RFC 9470). A SECOND_APPROVER parks the attempt in PENDING_APPROVAL: nothing is sent until another
 * person approves. A LOCK_FACTOR (a factor the lock must verify itself) is not met: the command
 * cannot carry it yet. Anything unknown is unmet.
 */
final class Obligations {

    private Obligations() {
    }

    static boolean allMet(AuthorizeResponse decision) {
        return decision.getObligationsList().stream().allMatch(o -> o.getKindCase() == Obligation.KindCase.NOTIFY);
    }

    /** Every obligation is met except a second approver: the attempt waits for one. */
    static boolean awaitsApprover(AuthorizeResponse decision) {
        return secondApprover(decision) != null && metWithApproval(decision);
    }

    /** Everything is met once a second person approved: only NOTIFY and SECOND_APPROVER obligations. */
    static boolean metWithApproval(AuthorizeResponse decision) {
        return decision.getObligationsList().stream()
                .allMatch(o -> o.getKindCase() == Obligation.KindCase.NOTIFY || o.getKindCase() == Obligation.KindCase.SECOND_APPROVER);
    }

    /** The first step-up asked for, or null. */
    static StepUp stepUp(AuthorizeResponse decision) {
        return decision.getObligationsList().stream()
                .filter(o -> o.getKindCase() == Obligation.KindCase.STEP_UP)
                .map(Obligation::getStepUp)
                .findFirst().orElse(null);
    }

    /** The second approver asked for, or null. */
    static SecondApprover secondApprover(AuthorizeResponse decision) {
        return decision.getObligationsList().stream()
                .filter(o -> o.getKindCase() == Obligation.KindCase.SECOND_APPROVER)
                .map(Obligation::getSecondApprover)
                .findFirst().orElse(null);
    }
}
