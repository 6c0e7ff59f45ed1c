package dev.portcullis.policy.engine;

import dev.portcullis.kit.auth.AssuranceLevel;
import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.engine.Decision.LockFactor;
import dev.portcullis.policy.engine.Decision.Notify;
import dev.portcullis.policy.engine.Decision.Obligation;
import dev.portcullis.policy.engine.Decision.RuleResult;
import dev.portcullis.policy.engine.Decision.SecondApprover;
import dev.portcullis.policy.engine.Decision.StepUp;
import dev.portcullis.policy.engine.DecisionRequest.SignIn;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Lockdown;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.RateLimit;
import dev.portcullis.policy.engine.PolicySnapshot.Tier;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Decides one unlock request from an indexed snapshot, in this order (each rule looked at goes into the trace):
 * <ol>
 *   <li>an unknown door is denied ({@code UNKNOWN_DOOR});</li>
 *   <li>during a lockdown of the door's property only a holder of the emergency role continues ({@code LOCKDOWN});</li>
 *   <li>a candidate grant must pass in property-local time: validity, suspensions, holidays, weekly schedule, use limit
 *       ({@code NO_GRANT} or the distinct reasons of the failing candidates); an unlimited grant is preferred;</li>
 *   <li>device gates, only once a grant matched: tamper, keypad lockout, known offline;</li>
 *   <li>the subject's unlock rate limit (not for an emergency opening during lockdown);</li>
 *   <li>the door's tier turns the permit into one with obligations: step-up (also outside usual hours), lock factor,
 *       second approver.</li>
 * </ol>
 * Pure and thread-safe. {@link #decideSafely} never throws: anything unexpected is a DENY {@code POLICY_UNAVAILABLE}.
 */
public final class PolicyEngine {

    /** The topic of the Notify obligation on an emergency opening during lockdown. */
    public static final String LOCKDOWN_TOPIC = "lockdown";

    /** A sign-in dated further than this into the future is wrong, not recent: it counts as missing. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(60);

    private PolicyEngine() {
    }

    /** Decides, failing closed: any unexpected exception (inconsistent data, a failing counter) is DENY {@code POLICY_UNAVAILABLE}. */
    public static Decision decideSafely(PolicyIndex index, DecisionRequest request, DeviceState device, Usage usage) {
        try {
            return decide(index, request, device, usage);
        } catch (RuntimeException e) {
            return unavailable(index, e);
        }
    }

    /**
     * Like {@link #decideSafely} but for operators asking "why": when a lockdown denies before the grants are looked at,
     * the grants are still evaluated into the trace (the decision stays the same).
     */
    public static Decision explain(PolicyIndex index, DecisionRequest request, DeviceState device, Usage usage) {
        try {
            return new Evaluation(index, request, device, usage, true).run();
        } catch (RuntimeException e) {
            return unavailable(index, e);
        }
    }

    /**
     * Decides. Throws only on a programming or data error (e.g. a door whose property is missing from the snapshot, a
     * null argument); callers serving requests use {@link #decideSafely}.
     */
    public static Decision decide(PolicyIndex index, DecisionRequest request, DeviceState device, Usage usage) {
        return new Evaluation(index, request, device, usage, false).run();
    }

    private static Decision unavailable(PolicyIndex index, RuntimeException e) {
        long version = index == null ? 0 : index.version();
        String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new Decision(false, List.of(Reason.REASON_POLICY_UNAVAILABLE), List.of(), null, false, version,
                List.of(new RuleResult("policy", false, "could not decide, failing closed: " + detail)));
    }

    /** The outcome of checking one candidate grant at one instant: null reason when it passes. */
    record GrantCheck(Grant grant, Reason failure, String detail) {
        boolean passed() {
            return failure == null;
        }
    }

    /**
     * Checks one grant at {@code local} (the request instant in the property's zone), in the order validity, suspension,
     * holiday, weekly schedule, use limit.
     */
    static GrantCheck check(PolicyIndex index, Grant grant, Property property, ZonedDateTime local, Usage usage) {
        Instant at = local.toInstant();
        if (!grant.validAt(at)) {
            return new GrantCheck(grant, Reason.REASON_GRANT_NOT_VALID_NOW, "not valid at " + at + " (valid "
                    + (grant.validFrom() == null ? "since ever" : "from " + grant.validFrom()) + " "
                    + (grant.validUntil() == null ? "for ever" : "until " + grant.validUntil()) + ")");
        }
        GrantDays.Closure closure = GrantDays.closure(grant, property, local.toLocalDate());
        if (closure != null) {
            return new GrantCheck(grant, closure.reason(), closure.detail());
        }
        if (!grant.schedule().contains(local)) {
            return new GrantCheck(grant, Reason.REASON_OUTSIDE_SCHEDULE, describe(local) + " outside " + index.scheduleText(grant));
        }
        String within = describe(local) + " within " + index.scheduleText(grant);
        if (grant.maxUses() != null) {
            int used = usage.usesOf(grant.id());
            if (used >= grant.maxUses()) {
                return new GrantCheck(grant, Reason.REASON_USE_LIMIT_REACHED, "used " + used + " of " + grant.maxUses() + " entries");
            }
            return new GrantCheck(grant, null, within + "; used " + used + " of " + grant.maxUses() + " entries");
        }
        return new GrantCheck(grant, null, within);
    }

    /** E.g. {@code local 22:14 TUE Europe/Berlin}. */
    static String describe(ZonedDateTime local) {
        StringBuilder text = new StringBuilder(40).append("local ");
        twoDigits(text, local.getHour()).append(':');
        twoDigits(text, local.getMinute()).append(' ').append(local.getDayOfWeek().name(), 0, 3).append(' ').append(local.toLocalDate())
                .append(' ').append(local.getZone().getId());
        return text.toString();
    }

    private static StringBuilder twoDigits(StringBuilder text, int value) {
        return text.append(value < 10 ? "0" : "").append(value);
    }

    /** The stronger of two sign-in requirements: the higher acr, the shorter maximum age. */
    static Assurance stronger(Assurance a, Assurance b) {
        if (a == null || !a.any()) {
            return b == null ? Assurance.NONE : b;
        }
        if (b == null || !b.any()) {
            return a;
        }
        String acr = a.requiredAcr() == null ? b.requiredAcr()
                : b.requiredAcr() == null || AssuranceLevel.satisfies(a.requiredAcr(), b.requiredAcr()) ? a.requiredAcr() : b.requiredAcr();
        Duration age = a.maxAuthAge() == null ? b.maxAuthAge()
                : b.maxAuthAge() == null || a.maxAuthAge().compareTo(b.maxAuthAge()) <= 0 ? a.maxAuthAge() : b.maxAuthAge();
        return new Assurance(acr, age);
    }

    /** What the sign-in lacks for the requirement (empty when it meets it). */
    static List<String> shortfalls(Assurance required, SignIn signIn, Instant at) {
        List<String> missing = new ArrayList<>(2);
        if (required == null) {
            return missing;
        }
        if (required.requiredAcr() != null && !AssuranceLevel.satisfies(signIn.acr(), required.requiredAcr())) {
            missing.add("needs acr " + required.requiredAcr() + ", the sign-in has " + (signIn.acr() == null ? "none" : signIn.acr()));
        }
        if (required.maxAuthAge() != null) {
            Instant authTime = signIn.authTime();
            if (authTime == null || authTime.plus(required.maxAuthAge()).isBefore(at) || authTime.isAfter(at.plus(CLOCK_SKEW))) {
                missing.add("needs a sign-in within the last " + required.maxAuthAge().toSeconds() + " s, the sign-in was at "
                        + (authTime == null ? "an unknown time" : authTime.toString()));
            }
        }
        return missing;
    }

    /** One decision in progress: the trace and reasons it collects. */
    private static final class Evaluation {
        private final PolicyIndex index;
        private final DecisionRequest request;
        private final DeviceState device;
        private final Usage usage;
        private final boolean explaining;
        private final List<RuleResult> trace = new ArrayList<>(8);

        Evaluation(PolicyIndex index, DecisionRequest request, DeviceState device, Usage usage, boolean explaining) {
            this.index = Objects.requireNonNull(index, "no policy index");
            this.request = Objects.requireNonNull(request, "no request");
            this.device = Objects.requireNonNull(device, "no device state");
            this.usage = Objects.requireNonNull(usage, "no usage counters");
            this.explaining = explaining;
        }

        Decision run() {
            if (request.subjectId() == null || request.subjectId().isBlank() || request.doorId() == null || request.at() == null) {
                trace.add(new RuleResult("request", false, "subject, door and instant are required"));
                return deny(Reason.REASON_INVALID_REQUEST);
            }
            SignIn signIn = request.signIn() == null ? SignIn.UNKNOWN : request.signIn();
            Instant at = request.at();

            // 1. The door.
            Door door = index.door(request.doorId());
            if (door == null) {
                trace.add(new RuleResult("door", false, "door " + request.doorId() + " is not known in this organization"));
                return deny(Reason.REASON_UNKNOWN_DOOR);
            }
            Property property = index.propertyOf(door.id());
            if (property == null) {
                throw new IllegalStateException("door " + door.id() + " belongs to property " + door.propertyId() + " which is missing");
            }
            if (index.tierMissing(door)) {
                throw new IllegalStateException("door " + door.id() + " names tier " + door.tierId() + " which is missing");
            }
            ZonedDateTime local = at.atZone(property.zone());
            trace.add(new RuleResult("door", true, door.name() + " in " + property.name() + " (" + property.zone().getId() + ")"));

            // 2. Lockdown.
            boolean emergency = false;
            Lockdown lockdown = property.lockdown();
            if (lockdown != null) {
                String since = "since " + lockdown.since() + (lockdown.reason() == null ? "" : " (" + lockdown.reason() + ")");
                if (index.holdsRole(request.subjectId(), Role.EMERGENCY, property.id())) {
                    emergency = true;
                    trace.add(new RuleResult("lockdown", true, property.name() + " is locked down " + since
                            + "; the subject holds the emergency role"));
                } else {
                    trace.add(new RuleResult("lockdown", false, property.name() + " is locked down " + since
                            + "; only the emergency role opens its doors"));
                    if (explaining) {
                        checkGrants(property, local);
                    }
                    return deny(Reason.REASON_LOCKDOWN);
                }
            } else {
                trace.add(new RuleResult("lockdown", true, "none in force"));
            }

            // 3. Grants.
            List<GrantCheck> checks = checkGrants(property, local);
            if (checks.isEmpty()) {
                return deny(Reason.REASON_NO_GRANT);
            }
            GrantCheck chosen = null;
            for (GrantCheck check : checks) {
                if (check.passed() && (chosen == null || (chosen.grant().maxUses() != null && check.grant().maxUses() == null))) {
                    chosen = check;
                }
            }
            if (chosen == null) {
                Set<Reason> reasons = new LinkedHashSet<>();
                checks.forEach(check -> reasons.add(check.failure()));
                return deny(List.copyOf(reasons));
            }
            Grant grant = chosen.grant();

            // 4. Device gates.
            if (device.tamperedAt() != null) {
                trace.add(new RuleResult("device", false, "the lock reported tamper at " + device.tamperedAt() + " and no operator cleared it"));
                return deny(Reason.REASON_DEVICE_TAMPERED);
            }
            if (device.lockedOutUntil() != null && device.lockedOutUntil().isAfter(at)) {
                trace.add(new RuleResult("device", false, "the lock is in keypad lockout until " + device.lockedOutUntil()));
                return deny(Reason.REASON_DEVICE_LOCKED_OUT);
            }
            if (Boolean.FALSE.equals(device.online())) {
                trace.add(new RuleResult("device", false, "the lock is offline" + (device.presenceAt() == null ? "" : " since " + device.presenceAt())));
                return deny(Reason.REASON_DEVICE_OFFLINE);
            }
            trace.add(new RuleResult("device", true, device.online() == null ? "no known tamper, lockout or outage" : "online"));

            // 5. Rate limit.
            if (emergency) {
                trace.add(new RuleResult("rate limit", true, "not applied to an emergency opening during lockdown"));
            } else {
                RateLimit limit = index.rateLimit();
                int permits = usage.permitsOf(request.subjectId(), at, limit.window());
                if (permits >= limit.maxUnlocks()) {
                    trace.add(new RuleResult("rate limit", false, permits + " permits in the last " + limit.window() + ", at most "
                            + limit.maxUnlocks()));
                    return deny(Reason.REASON_RATE_LIMITED);
                }
                trace.add(new RuleResult("rate limit", true, permits + " of " + limit.maxUnlocks() + " in " + limit.window()));
            }

            // 6. Tier obligations; 7. permit.
            List<Reason> reasons = new ArrayList<>(4);
            List<Obligation> obligations = new ArrayList<>(2);
            reasons.add(Reason.REASON_GRANT_MATCHED);
            if (emergency) {
                reasons.add(Reason.REASON_EMERGENCY_OVERRIDE);
                obligations.add(new Notify(LOCKDOWN_TOPIC));
            }
            Tier tier = index.tierOf(door.id());
            if (tier != null) {
                applyTier(tier, local, signIn, reasons, obligations);
            }
            return new Decision(true, reasons, obligations, grant.id(), grant.maxUses() != null, index.version(), trace);
        }

        private List<GrantCheck> checkGrants(Property property, ZonedDateTime local) {
            List<Grant> candidates = index.candidates(request.subjectId(), request.doorId());
            if (candidates.isEmpty()) {
                trace.add(new RuleResult("grants", false, "no grant covers subject " + request.subjectId() + " for this door"));
                return List.of();
            }
            List<GrantCheck> checks = new ArrayList<>(candidates.size());
            for (Grant grant : candidates) {
                GrantCheck check = check(index, grant, property, local, usage);
                checks.add(check);
                trace.add(new RuleResult("grant " + grant.id(), check.passed(), check.detail()));
            }
            return checks;
        }

        private void applyTier(Tier tier, ZonedDateTime local, SignIn signIn, List<Reason> reasons, List<Obligation> obligations) {
            Instant at = local.toInstant();
            Assurance base = tier.assurance() == null ? Assurance.NONE : tier.assurance();
            boolean unusual = tier.usualHours() != null && !tier.usualHours().contains(local);
            Assurance required = unusual ? stronger(base, tier.outsideUsualHours()) : base;
            List<String> baseShortfall = shortfalls(base, signIn, at);
            List<String> unusualShortfall = unusual ? shortfalls(tier.outsideUsualHours(), signIn, at) : List.of();
            List<String> notes = new ArrayList<>(4);
            if (unusual) {
                notes.add(describe(local) + " outside usual hours " + tier.usualHours().describe());
            }
            if (!baseShortfall.isEmpty() || !unusualShortfall.isEmpty()) {
                obligations.add(new StepUp(required));
                if (!baseShortfall.isEmpty()) {
                    reasons.add(Reason.REASON_STEP_UP_REQUIRED);
                    notes.add("step-up: " + String.join("; ", baseShortfall));
                }
                if (!unusualShortfall.isEmpty()) {
                    reasons.add(Reason.REASON_UNUSUAL_HOURS);
                    notes.add("step-up outside usual hours: " + String.join("; ", unusualShortfall));
                }
            } else {
                notes.add(required.any() ? "the sign-in meets the tier's assurance" : "the tier asks nothing of the sign-in");
            }
            if (tier.lockFactor() != null) {
                reasons.add(Reason.REASON_LOCK_FACTOR_REQUIRED);
                obligations.add(new LockFactor(tier.lockFactor()));
                notes.add("the lock must verify " + tier.lockFactor());
            }
            if (tier.secondApproverRole() != null) {
                reasons.add(Reason.REASON_SECOND_APPROVER_REQUIRED);
                obligations.add(new SecondApprover(tier.secondApproverRole()));
                notes.add("a second person with role " + tier.secondApproverRole().code() + " must approve");
            }
            trace.add(new RuleResult("tier " + tier.name(), baseShortfall.isEmpty() && unusualShortfall.isEmpty(), String.join("; ", notes)));
        }

        private Decision deny(Reason reason) {
            return deny(List.of(reason));
        }

        private Decision deny(List<Reason> reasons) {
            return new Decision(false, reasons, List.of(), null, false, index.version(), trace);
        }
    }
}
