package dev.portcullis.policy.engine;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.proto.policy.v1.Reason;
import java.util.List;
import java.util.UUID;

/**
 * The engine's answer. A permit may carry obligations the caller must meet before acting; a caller
 * that cannot meet one must not act (fail closed).
 *
 * @param grantId   on permit: the grant that allowed it (the store consumes one use when it is use-limited)
 * @param trace     every rule looked at, in order, with whether it passed and why: the explanation operators see
 */
public record Decision(boolean permit, List<Reason> reasons, List<Obligation> obligations, UUID grantId, boolean useLimited,
        long policyVersion, List<RuleResult> trace) {

    public Decision {
        reasons = List.copyOf(reasons);
        obligations = List.copyOf(obligations);
        trace = List.copyOf(trace);
    }

    /** One line per rule: e.g. {@code grant 6f1c…: outside schedule (local 22:14 TUE, Europe/Berlin)}. */
    public String explanation() {
        return String.join("; ", trace.stream().map(RuleResult::toString).toList());
    }

    public sealed interface Obligation permits StepUp, SecondApprover, LockFactor, Notify {
    }

    /** RFC 9470: the requester signs in again to at least this before the unlock goes ahead. */
    public record StepUp(Assurance assurance) implements Obligation {
    }

    /** Another person holding {@code role} in the door's property approves before the unlock goes ahead. */
    public record SecondApprover(Role role) implements Obligation {
    }

    /** The lock must verify this factor itself (e.g. {@code biometric_liveness}) before it opens. */
    public record LockFactor(String factor) implements Obligation {
    }

    /** Tell subscribers of {@code topic} (e.g. an emergency opening during lockdown). */
    public record Notify(String topic) implements Obligation {
    }

    /** @param rule what was looked at (e.g. {@code "grant 6f1c…"}, {@code "lockdown"}, {@code "tier Vault"}) */
    public record RuleResult(String rule, boolean passed, String detail) {
        @Override
        public String toString() {
            return rule + ": " + (passed ? "passed" : "failed") + (detail == null || detail.isEmpty() ? "" : " (" + detail + ")");
        }
    }
}
