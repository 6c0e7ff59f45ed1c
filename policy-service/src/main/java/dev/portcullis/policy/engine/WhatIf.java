package dev.portcullis.policy.engine;

import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Grantee;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * What a draft change would do to access: compares who can open which door, and when, over a period under the
 * current policy ({@code before}) and under the policy with the draft applied ({@code after}).
 *
 * <p>Access is what a review reports, minus a lockdown: a subject blocked by a lockdown has none. A (subject, door)
 * pair has <em>gained</em> access when it had none before and has some after, <em>lost</em> it in the opposite case,
 * and <em>changed</em> when it has some in both but the intervals or the door's conditions differ.
 */
public final class WhatIf {

    private WhatIf() {
    }

    /** @param gained sorted by door name, then subject; likewise {@code lost} and {@code changed} */
    public record Result(Instant from, Instant to, List<AccessChange> gained, List<AccessChange> lost, List<AccessChange> changed) {
        public Result {
            gained = List.copyOf(gained);
            lost = List.copyOf(lost);
            changed = List.copyOf(changed);
        }

        public boolean noChange() {
            return gained.isEmpty() && lost.isEmpty() && changed.isEmpty();
        }
    }

    /** One (subject, door) pair whose access differs; intervals empty where there is no access. */
    public record AccessChange(String subjectId, UUID doorId, String door, List<Interval> before, List<Interval> after,
            DoorConditions conditionsBefore, DoorConditions conditionsAfter) {
        public AccessChange {
            before = List.copyOf(before);
            after = List.copyOf(after);
        }
    }

    /** Compares access over [from, to) under both policies, for every door either knows. */
    public static Result compare(PolicyIndex before, PolicyIndex after, Instant from, Instant to) {
        return compare(before, after, from, to, true);
    }

    /** @param skipUnchanged false: review every door under both policies, even those {@link #mayDiffer} rules out (for tests) */
    static Result compare(PolicyIndex before, PolicyIndex after, Instant from, Instant to, boolean skipUnchanged) {
        OpeningTimes.checkSpan(from, to);
        TreeSet<UUID> doorIds = new TreeSet<>();
        before.doors().forEach(door -> doorIds.add(door.id()));
        after.doors().forEach(door -> doorIds.add(door.id()));
        List<AccessChange> gained = new ArrayList<>();
        List<AccessChange> lost = new ArrayList<>();
        List<AccessChange> changed = new ArrayList<>();
        Map<Grant, List<Interval>> intervalsBefore = new IdentityHashMap<>();
        Map<Grant, List<Interval>> intervalsAfter = new IdentityHashMap<>();
        Set<UUID> changedGroups = changedGroups(before, after);
        Set<Role> changedRoles = changedRoles(before, after);
        for (UUID doorId : doorIds) {
            if (skipUnchanged && !mayDiffer(before, after, doorId, changedGroups, changedRoles)) {
                continue;
            }
            WhoCanOpen was = AccessReview.whoCanOpen(before, doorId, from, to, Usage.NONE, intervalsBefore).orElse(null);
            WhoCanOpen will = AccessReview.whoCanOpen(after, doorId, from, to, Usage.NONE, intervalsAfter).orElse(null);
            Map<String, List<Interval>> accessBefore = access(was);
            Map<String, List<Interval>> accessAfter = access(will);
            DoorConditions conditionsBefore = was == null ? DoorConditions.NONE : was.conditions();
            DoorConditions conditionsAfter = will == null ? DoorConditions.NONE : will.conditions();
            String name = will != null ? will.door() : was.door();
            TreeSet<String> subjects = new TreeSet<>(accessBefore.keySet());
            subjects.addAll(accessAfter.keySet());
            for (String subject : subjects) {
                List<Interval> b = accessBefore.getOrDefault(subject, List.of());
                List<Interval> a = accessAfter.getOrDefault(subject, List.of());
                AccessChange change = new AccessChange(subject, doorId, name, b, a, conditionsBefore, conditionsAfter);
                if (b.isEmpty() && !a.isEmpty()) {
                    gained.add(change);
                } else if (!b.isEmpty() && a.isEmpty()) {
                    lost.add(change);
                } else if (!b.isEmpty() && (!b.equals(a) || !Objects.equals(conditionsBefore, conditionsAfter))) {
                    changed.add(change);
                }
            }
        }
        return new Result(from, to, sorted(gained), sorted(lost), sorted(changed));
    }

    private static List<AccessChange> sorted(List<AccessChange> changes) {
        changes.sort(Comparator.comparing(AccessChange::door, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(AccessChange::doorId).thenComparing(AccessChange::subjectId));
        return changes;
    }

    /**
     * Whether access to the door can differ at all: only then is it reviewed under both policies. It cannot when the
     * door, its property, its tier and the grants on it are equal, and none of those grants names a group whose members
     * changed or a role whose holders changed (nor, under a lockdown, did the emergency role's holders change).
     */
    static boolean mayDiffer(PolicyIndex before, PolicyIndex after, UUID doorId, Set<UUID> changedGroups, Set<Role> changedRoles) {
        if (!Objects.equals(before.door(doorId), after.door(doorId)) || !Objects.equals(before.propertyOf(doorId), after.propertyOf(doorId))
                || !Objects.equals(before.tierOf(doorId), after.tierOf(doorId))) {
            return true;
        }
        List<Grant> grants = before.grantsOn(doorId);
        List<Grant> grantsAfter = after.grantsOn(doorId);
        if (grants.size() != grantsAfter.size() || !new HashSet<>(grants).equals(new HashSet<>(grantsAfter))) {
            return true;
        }
        PolicySnapshot.Property property = before.propertyOf(doorId);
        if (property != null && property.lockdown() != null && changedRoles.contains(Role.EMERGENCY)) {
            return true;
        }
        for (Grant grant : grants) {
            if (grant.grantee() instanceof Grantee.GroupOf group && changedGroups.contains(group.groupId())
                    || grant.grantee() instanceof Grantee.RoleOf role && changedRoles.contains(role.role())) {
                return true;
            }
        }
        return false;
    }

    private static Set<UUID> changedGroups(PolicyIndex before, PolicyIndex after) {
        Set<UUID> changed = new HashSet<>();
        Map<UUID, PolicySnapshot.Group> was = before.snapshot().groups();
        Map<UUID, PolicySnapshot.Group> will = after.snapshot().groups();
        was.forEach((id, group) -> {
            if (!group.equals(will.get(id))) {
                changed.add(id);
            }
        });
        will.keySet().stream().filter(id -> !was.containsKey(id)).forEach(changed::add);
        return changed;
    }

    private static Set<Role> changedRoles(PolicyIndex before, PolicyIndex after) {
        Set<Role> changed = EnumSet.noneOf(Role.class);
        for (Role role : Role.values()) {
            if (!new HashSet<>(before.holdersOf(role)).equals(new HashSet<>(after.holdersOf(role)))) {
                changed.add(role);
            }
        }
        return changed;
    }

    private static Map<String, List<Interval>> access(WhoCanOpen review) {
        Map<String, List<Interval>> access = new TreeMap<>();
        if (review != null) {
            for (WhoCanOpen.SubjectAccess subject : review.subjects()) {
                if (!subject.blockedByLockdown()) {
                    access.put(subject.subjectId(), subject.intervals());
                }
            }
        }
        return access;
    }
}
