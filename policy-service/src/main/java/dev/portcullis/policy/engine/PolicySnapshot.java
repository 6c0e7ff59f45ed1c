package dev.portcullis.policy.engine;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.grant.WeeklySchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One organization's policy data at one version, immutable. The store builds it from the database; the
 * engine indexes it once and decides from memory. Ids are the database ids; every referenced id is
 * present (the store only builds consistent snapshots).
 */
public record PolicySnapshot(UUID organizationId, long version, Map<UUID, Property> properties, Map<UUID, Building> buildings,
        Map<UUID, Unit> units, Map<UUID, Door> doors, Map<UUID, Area> areas, Map<UUID, Tier> tiers, Map<UUID, Group> groups,
        List<RoleAssignment> roles, List<Grant> grants, RateLimit rateLimit) {

    public PolicySnapshot {
        properties = Map.copyOf(properties);
        buildings = Map.copyOf(buildings);
        units = Map.copyOf(units);
        doors = Map.copyOf(doors);
        areas = Map.copyOf(areas);
        tiers = Map.copyOf(tiers);
        groups = Map.copyOf(groups);
        roles = List.copyOf(roles);
        grants = List.copyOf(grants);
    }

    public static PolicySnapshot empty(UUID organizationId) {
        return new PolicySnapshot(organizationId, 0, Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), Map.of(), List.of(),
                List.of(), RateLimit.DEFAULT);
    }

    /**
     * A property: its time zone (every schedule of its doors is read in it, DST included), its holidays
     * (local dates), and its lockdown, if one is in force (null otherwise).
     */
    public record Property(UUID id, String name, ZoneId zone, Set<LocalDate> holidays, Lockdown lockdown) {
        public Property {
            holidays = Set.copyOf(holidays);
        }
    }

    /** While a property is locked down, only the emergency role opens its doors. */
    public record Lockdown(Instant since, String reason, String by) {
    }

    public record Building(UUID id, UUID propertyId, String name) {
    }

    public record Unit(UUID id, UUID buildingId, String name) {
    }

    /** A door; building, unit and tier are optional (null). A door without a tier asks nothing more of the sign-in. */
    public record Door(UUID id, UUID propertyId, UUID buildingId, UUID unitId, String name, UUID tierId) {
    }

    /** A named set of doors of one property, e.g. "Building A common doors". */
    public record Area(UUID id, UUID propertyId, String name, Set<UUID> doorIds) {
        public Area {
            doorIds = Set.copyOf(doorIds);
        }
    }

    /**
     * A door sensitivity tier: what an unlock of its doors asks for beyond a matching grant.
     *
     * @param assurance          the sign-in it needs ({@code acr}, maximum age); a shortfall turns a permit into STEP_UP
     * @param lockFactor         a factor the lock itself must verify (e.g. {@code biometric_liveness}); null for none
     * @param secondApproverRole when set, a permit needs a second person with this role to approve (SECOND_APPROVER)
     * @param usualHours         when set, an unlock outside these weekly windows (property time) is unusual ...
     * @param outsideUsualHours  ... and needs this sign-in (STEP_UP); null with usualHours null
     */
    public record Tier(UUID id, String name, Assurance assurance, String lockFactor, Role secondApproverRole, WeeklySchedule usualHours,
            Assurance outsideUsualHours) {
    }

    /** A named set of subjects (e.g. "Cleaning crew"). */
    public record Group(UUID id, String name, Set<String> members) {
        public Group {
            members = Set.copyOf(members);
        }
    }

    /** A subject holds a role in the whole organization (propertyId null) or in one property. */
    public record RoleAssignment(String subjectId, Role role, UUID propertyId) {
    }

    /** Who a grant is for: one subject, every member of a group, or every holder of a role (in the grant's property). */
    public sealed interface Grantee permits Grantee.Subject, Grantee.GroupOf, Grantee.RoleOf {
        record Subject(String subjectId) implements Grantee {
        }

        record GroupOf(UUID groupId) implements Grantee {
        }

        record RoleOf(Role role) implements Grantee {
        }
    }

    /** What a grant opens: one door, or every door of an area. */
    public sealed interface Target permits Target.DoorOf, Target.AreaOf {
        record DoorOf(UUID doorId) implements Target {
        }

        record AreaOf(UUID areaId) implements Target {
        }
    }

    /** Local dates (inclusive) on which a grant does not apply, e.g. a contractor's holiday. */
    public record Suspension(LocalDate from, LocalDate to, String reason) {
    }

    /**
     * A grant.
     *
     * @param schedule          weekly windows in the property's local time
     * @param validFrom         null: since ever
     * @param validUntil        exclusive; null: for ever
     * @param closedOnHolidays  true: the grant does not apply on the property's holidays
     * @param suspensions       local date ranges on which the grant does not apply
     * @param maxUses           null: unlimited; otherwise the number of permits it gives in its life
     */
    public record Grant(UUID id, Grantee grantee, Target target, WeeklySchedule schedule, Instant validFrom, Instant validUntil,
            boolean closedOnHolidays, List<Suspension> suspensions, Integer maxUses) {
        public Grant {
            suspensions = List.copyOf(suspensions);
        }

        public boolean validAt(Instant at) {
            return (validFrom == null || !at.isBefore(validFrom)) && (validUntil == null || at.isBefore(validUntil));
        }
    }

    /** At most {@code maxUnlocks} permits per subject in any {@code window}. */
    public record RateLimit(int maxUnlocks, Duration window) {
        public static final RateLimit DEFAULT = new RateLimit(30, Duration.ofMinutes(10));
    }
}
