package dev.portcullis.policy.engine;

import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Grantee;
import dev.portcullis.policy.engine.PolicySnapshot.Group;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.RoleAssignment;
import dev.portcullis.policy.engine.PolicySnapshot.Target;
import dev.portcullis.policy.engine.PolicySnapshot.Tier;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Access reviews over an indexed snapshot: "who can open this door, when" and "what can this subject open".
 * They read schedules exactly as {@link PolicyEngine} does (property-local time, holidays, suspensions, validity),
 * so an instant inside a reported interval is one at which the grant would pass. Device state and the sign-in are
 * per request and therefore not part of a review; the door's conditions say what an unlock would still ask for.
 */
public final class AccessReview {

    private AccessReview() {
    }

    /** Who can open the door within [from, to); empty when the door is not known. Use limits read from {@code usage}. */
    public static Optional<WhoCanOpen> whoCanOpen(PolicyIndex index, UUID doorId, Instant from, Instant to, Usage usage) {
        return whoCanOpen(index, doorId, from, to, usage, new IdentityHashMap<>());
    }

    /** As above, reusing the intervals of grants already worked out for the same index and period (a grant opens the same times on all its doors). */
    static Optional<WhoCanOpen> whoCanOpen(PolicyIndex index, UUID doorId, Instant from, Instant to, Usage usage,
            Map<Grant, List<Interval>> intervalsOfGrant) {
        OpeningTimes.checkSpan(from, to);
        Door door = index.door(doorId);
        if (door == null) {
            return Optional.empty();
        }
        Property property = requireProperty(index, door);
        Map<String, Map<UUID, WhoCanOpen.GrantAccess>> bySubject = new TreeMap<>();
        for (Grant grant : index.grantsOn(doorId)) {
            Integer usesLeft = usesLeft(grant, usage);
            if (usesLeft != null && usesLeft <= 0) {
                continue;
            }
            List<Interval> intervals = intervalsOfGrant.computeIfAbsent(grant, g -> OpeningTimes.of(g, property, from, to));
            if (intervals.isEmpty()) {
                continue;
            }
            String target = describe(index, grant.target());
            String schedule = index.scheduleText(grant);
            forEachSubject(index, grant.grantee(), property, (subject, via) -> bySubject.computeIfAbsent(subject, s -> new LinkedHashMap<>())
                    .putIfAbsent(grant.id(), new WhoCanOpen.GrantAccess(grant.id(), via, target, schedule, grant.maxUses(), usesLeft, intervals)));
        }
        boolean lockdown = property.lockdown() != null;
        List<WhoCanOpen.SubjectAccess> subjects = new ArrayList<>(bySubject.size());
        bySubject.forEach((subject, grants) -> {
            List<Interval> all = new ArrayList<>();
            grants.values().forEach(grant -> all.addAll(grant.intervals()));
            boolean emergency = index.holdsRole(subject, Role.EMERGENCY, property.id());
            subjects.add(new WhoCanOpen.SubjectAccess(subject, Interval.union(all), List.copyOf(grants.values()), emergency,
                    lockdown && !emergency));
        });
        return Optional.of(new WhoCanOpen(door.id(), door.name(), property.id(), property.zone().getId(), from, to,
                DoorConditions.of(index, door), subjects));
    }

    /** {@link #whoCanOpen(PolicyIndex, UUID, Instant, Instant, Usage)} without use counters (every limited grant has its uses left). */
    public static Optional<WhoCanOpen> whoCanOpen(PolicyIndex index, UUID doorId, Instant from, Instant to) {
        return whoCanOpen(index, doorId, from, to, Usage.NONE);
    }

    /**
     * What the subject can open: every door a grant of it covers, open at {@code at} or not, and otherwise the next
     * opening within {@code horizon}. Use limits read from {@code usage}.
     */
    public static WhatCanOpen whatCanOpen(PolicyIndex index, String subjectId, Instant at, Duration horizon, Usage usage) {
        if (subjectId == null || subjectId.isBlank() || at == null || horizon == null) {
            throw new IllegalArgumentException("a subject, an instant and a horizon are required");
        }
        Instant until = at.plus(horizon);
        OpeningTimes.checkSpan(at, until);
        TreeSet<UUID> doorIds = new TreeSet<>();
        for (Grantee grantee : index.granteesOfAnywhere(subjectId)) {
            for (Grant grant : index.grantsOf(grantee)) {
                doorIds.addAll(index.doorsOf(grant.target()));
            }
        }
        List<WhatCanOpen.DoorAccess> doors = new ArrayList<>();
        for (UUID doorId : doorIds) {
            List<Grant> candidates = index.candidates(subjectId, doorId);
            if (candidates.isEmpty()) {
                continue; // reached only through a role the subject holds in another property
            }
            Door door = index.door(doorId);
            Property property = requireProperty(index, door);
            List<Interval> all = new ArrayList<>();
            List<UUID> grantIds = new ArrayList<>();
            for (Grant grant : candidates) {
                Integer usesLeft = usesLeft(grant, usage);
                List<Interval> intervals = usesLeft != null && usesLeft <= 0 ? List.of() : OpeningTimes.of(grant, property, at, until);
                if (!intervals.isEmpty()) {
                    all.addAll(intervals);
                    grantIds.add(grant.id());
                }
            }
            List<Interval> intervals = Interval.union(all);
            boolean byGrants = !intervals.isEmpty() && intervals.get(0).contains(at);
            boolean emergency = index.holdsRole(subjectId, Role.EMERGENCY, property.id());
            boolean blocked = property.lockdown() != null && !emergency;
            List<Reason> notes = new ArrayList<>();
            if (blocked) {
                notes.add(Reason.REASON_LOCKDOWN);
            } else if (property.lockdown() != null) {
                notes.add(Reason.REASON_EMERGENCY_OVERRIDE);
            }
            Tier tier = index.tierOf(doorId);
            if (tier != null) {
                if (tier.assurance() != null && tier.assurance().any()) {
                    notes.add(Reason.REASON_STEP_UP_REQUIRED);
                }
                if (tier.usualHours() != null && tier.outsideUsualHours() != null && !tier.usualHours().contains(at.atZone(property.zone()))) {
                    notes.add(Reason.REASON_UNUSUAL_HOURS);
                }
                if (tier.lockFactor() != null) {
                    notes.add(Reason.REASON_LOCK_FACTOR_REQUIRED);
                }
                if (tier.secondApproverRole() != null) {
                    notes.add(Reason.REASON_SECOND_APPROVER_REQUIRED);
                }
            }
            boolean openNow = byGrants && !blocked;
            Instant next = openNow || blocked ? null : intervals.stream().map(Interval::start).filter(at::isBefore).findFirst().orElse(null);
            doors.add(new WhatCanOpen.DoorAccess(doorId, door.name(), property.id(), openNow, next, intervals, grantIds, notes,
                    DoorConditions.of(index, door)));
        }
        doors.sort(Comparator.comparing(WhatCanOpen.DoorAccess::door, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(WhatCanOpen.DoorAccess::doorId));
        return new WhatCanOpen(subjectId, at, until, doors);
    }

    /** {@link #whatCanOpen(PolicyIndex, String, Instant, Duration, Usage)} without use counters. */
    public static WhatCanOpen whatCanOpen(PolicyIndex index, String subjectId, Instant at, Duration horizon) {
        return whatCanOpen(index, subjectId, at, horizon, Usage.NONE);
    }

    private static Integer usesLeft(Grant grant, Usage usage) {
        return grant.maxUses() == null ? null : Math.max(0, grant.maxUses() - usage.usesOf(grant.id()));
    }

    private static Property requireProperty(PolicyIndex index, Door door) {
        Property property = index.propertyOf(door.id());
        if (property == null) {
            throw new IllegalStateException("door " + door.id() + " belongs to property " + door.propertyId() + " which is missing");
        }
        return property;
    }

    interface SubjectVisitor {
        void accept(String subjectId, String via);
    }

    /** Expands a grantee to the subjects it covers for a door of {@code property}. */
    static void forEachSubject(PolicyIndex index, Grantee grantee, Property property, SubjectVisitor visitor) {
        if (grantee instanceof Grantee.Subject subject) {
            visitor.accept(subject.subjectId(), "subject");
        } else if (grantee instanceof Grantee.GroupOf groupOf) {
            Group group = index.group(groupOf.groupId());
            if (group != null) {
                group.members().stream().sorted().forEach(member -> visitor.accept(member, "group " + group.name()));
            }
        } else if (grantee instanceof Grantee.RoleOf roleOf) {
            for (RoleAssignment holder : index.holdersOf(roleOf.role())) {
                if (holder.propertyId() == null) {
                    visitor.accept(holder.subjectId(), "role " + roleOf.role().code() + " (organization)");
                } else if (holder.propertyId().equals(property.id())) {
                    visitor.accept(holder.subjectId(), "role " + roleOf.role().code() + " in " + property.name());
                }
            }
        }
    }

    static String describe(PolicyIndex index, Target target) {
        if (target instanceof Target.DoorOf door) {
            Door known = index.door(door.doorId());
            return "door " + (known == null ? door.doorId() : known.name());
        }
        UUID areaId = ((Target.AreaOf) target).areaId();
        return "area " + (index.area(areaId) == null ? areaId : index.area(areaId).name());
    }
}
