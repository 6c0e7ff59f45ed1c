package dev.portcullis.policy.engine;

import dev.portcullis.kit.auth.AssuranceLevel;
import dev.portcullis.policy.door.Assurance;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Decides one request from an index (placeholder of the store branch, following the brief's rule order;
 * the engine branch's version replaces it at merge).
 */
public final class PolicyEngine {

    private PolicyEngine() {
    }

    public static Decision decide(PolicyIndex index, DecisionRequest request, DeviceState device, Usage usage) {
        try {
            return decideOrThrow(index, request, device == null ? DeviceState.UNKNOWN : device, usage);
        } catch (RuntimeException e) {
            return new Decision(false, List.of(Reason.REASON_POLICY_UNAVAILABLE), List.of(), null, false, index.version(),
                    List.of(new Decision.RuleResult("evaluation", false, e.getClass().getSimpleName())));
        }
    }

    private static Decision decideOrThrow(PolicyIndex index, DecisionRequest request, DeviceState device, Usage usage) {
        PolicySnapshot snapshot = index.snapshot();
        List<Decision.RuleResult> trace = new ArrayList<>();
        PolicySnapshot.Door door = snapshot.doors().get(request.doorId());
        if (door == null) {
            trace.add(new Decision.RuleResult("door", false, "not known in this organization"));
            return deny(index, List.of(Reason.REASON_UNKNOWN_DOOR), trace);
        }
        PolicySnapshot.Property property = snapshot.properties().get(door.propertyId());
        Instant at = request.at();
        ZonedDateTime local = at.atZone(property.zone());
        boolean emergency = false;
        if (property.lockdown() != null) {
            emergency = index.holds(request.subjectId(), Role.EMERGENCY, property.id());
            trace.add(new Decision.RuleResult("lockdown", emergency, emergency ? "emergency role overrides" : property.lockdown().reason()));
            if (!emergency) {
                return deny(index, List.of(Reason.REASON_LOCKDOWN), trace);
            }
        }
        Set<java.util.UUID> groups = index.groupsOf(request.subjectId());
        PolicySnapshot.Grant chosen = null;
        Set<Reason> failures = new LinkedHashSet<>();
        boolean anyCandidate = false;
        for (PolicySnapshot.Grant grant : index.grantsOn(door.id())) {
            boolean covers;
            if (grant.grantee() instanceof PolicySnapshot.Grantee.Subject s) {
                covers = s.subjectId().equals(request.subjectId());
            } else if (grant.grantee() instanceof PolicySnapshot.Grantee.GroupOf g) {
                covers = groups.contains(g.groupId());
            } else {
                covers = index.holds(request.subjectId(), ((PolicySnapshot.Grantee.RoleOf) grant.grantee()).role(), property.id());
            }
            if (!covers) {
                continue;
            }
            anyCandidate = true;
            Reason failure = check(grant, property, local, usage);
            trace.add(new Decision.RuleResult("grant " + grant.id(), failure == null, failure == null ? "applies" : failure.name()));
            if (failure != null) {
                failures.add(failure);
            } else if (chosen == null || (chosen.maxUses() != null && grant.maxUses() == null)) {
                chosen = grant;
            }
        }
        if (!anyCandidate) {
            trace.add(new Decision.RuleResult("grants", false, "no grant covers this subject and door"));
            return deny(index, List.of(Reason.REASON_NO_GRANT), trace);
        }
        if (chosen == null) {
            return deny(index, List.copyOf(failures), trace);
        }
        if (device.tamperedAt() != null) {
            trace.add(new Decision.RuleResult("device", false, "tampered at " + device.tamperedAt()));
            return deny(index, List.of(Reason.REASON_DEVICE_TAMPERED), trace);
        }
        if (device.lockedOutUntil() != null && device.lockedOutUntil().isAfter(at)) {
            trace.add(new Decision.RuleResult("device", false, "locked out until " + device.lockedOutUntil()));
            return deny(index, List.of(Reason.REASON_DEVICE_LOCKED_OUT), trace);
        }
        if (Boolean.FALSE.equals(device.online())) {
            trace.add(new Decision.RuleResult("device", false, "offline"));
            return deny(index, List.of(Reason.REASON_DEVICE_OFFLINE), trace);
        }
        PolicySnapshot.RateLimit limit = snapshot.rateLimit();
        if (!emergency && usage.permitsOf(request.subjectId(), at, limit.window()) >= limit.maxUnlocks()) {
            trace.add(new Decision.RuleResult("rate limit", false, limit.maxUnlocks() + " per " + limit.window()));
            return deny(index, List.of(Reason.REASON_RATE_LIMITED), trace);
        }
        List<Reason> reasons = new ArrayList<>(List.of(Reason.REASON_GRANT_MATCHED));
        List<Decision.Obligation> obligations = new ArrayList<>();
        if (emergency) {
            reasons.add(Reason.REASON_EMERGENCY_OVERRIDE);
            obligations.add(new Decision.Notify("lockdown"));
        }
        PolicySnapshot.Tier tier = door.tierId() == null ? null : snapshot.tiers().get(door.tierId());
        if (tier != null) {
            Assurance required = tier.assurance() == null ? Assurance.NONE : tier.assurance();
            boolean unusual = tier.usualHours() != null && !tier.usualHours().contains(local) && tier.outsideUsualHours() != null;
            if (unusual) {
                required = stronger(required, tier.outsideUsualHours());
            }
            if (!satisfied(required, request.signIn(), at)) {
                reasons.add(unusual ? Reason.REASON_UNUSUAL_HOURS : Reason.REASON_STEP_UP_REQUIRED);
                if (unusual) {
                    reasons.add(Reason.REASON_STEP_UP_REQUIRED);
                }
                obligations.add(new Decision.StepUp(required));
            }
            if (tier.lockFactor() != null) {
                reasons.add(Reason.REASON_LOCK_FACTOR_REQUIRED);
                obligations.add(new Decision.LockFactor(tier.lockFactor()));
            }
            if (tier.secondApproverRole() != null) {
                reasons.add(Reason.REASON_SECOND_APPROVER_REQUIRED);
                obligations.add(new Decision.SecondApprover(tier.secondApproverRole()));
            }
        }
        return new Decision(true, reasons, obligations, chosen.id(), chosen.maxUses() != null, index.version(), trace);
    }

    private static Reason check(PolicySnapshot.Grant grant, PolicySnapshot.Property property, ZonedDateTime local, Usage usage) {
        if (!grant.validAt(local.toInstant())) {
            return Reason.REASON_GRANT_NOT_VALID_NOW;
        }
        LocalDate day = local.toLocalDate();
        if (grant.suspensions().stream().anyMatch(s -> !day.isBefore(s.from()) && !day.isAfter(s.to()))) {
            return Reason.REASON_SUSPENDED;
        }
        if (grant.closedOnHolidays() && property.holidays().contains(day)) {
            return Reason.REASON_HOLIDAY;
        }
        if (!grant.schedule().contains(local)) {
            return Reason.REASON_OUTSIDE_SCHEDULE;
        }
        if (grant.maxUses() != null && usage.usesOf(grant.id()) >= grant.maxUses()) {
            return Reason.REASON_USE_LIMIT_REACHED;
        }
        return null;
    }

    private static Assurance stronger(Assurance a, Assurance b) {
        String acr = a.requiredAcr() == null ? b.requiredAcr()
                : b.requiredAcr() == null || AssuranceLevel.satisfies(a.requiredAcr(), b.requiredAcr()) ? a.requiredAcr() : b.requiredAcr();
        java.time.Duration age = a.maxAuthAge() == null ? b.maxAuthAge()
                : b.maxAuthAge() == null || a.maxAuthAge().compareTo(b.maxAuthAge()) <= 0 ? a.maxAuthAge() : b.maxAuthAge();
        return new Assurance(acr, age);
    }

    private static boolean satisfied(Assurance required, DecisionRequest.SignIn signIn, Instant at) {
        if (required.requiredAcr() != null && !AssuranceLevel.satisfies(signIn.acr(), required.requiredAcr())) {
            return false;
        }
        return required.maxAuthAge() == null || (signIn.authTime() != null && !signIn.authTime().plus(required.maxAuthAge()).isBefore(at)
                && !signIn.authTime().isAfter(at.plusSeconds(60)));
    }

    private static Decision deny(PolicyIndex index, List<Reason> reasons, List<Decision.RuleResult> trace) {
        return new Decision(false, reasons, List.of(), null, false, index.version(), trace);
    }
}
