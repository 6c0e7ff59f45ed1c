package dev.portcullis.policy.engine;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.engine.PolicySnapshot.Area;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Grantee;
import dev.portcullis.policy.engine.PolicySnapshot.Group;
import dev.portcullis.policy.engine.PolicySnapshot.Lockdown;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.RateLimit;
import dev.portcullis.policy.engine.PolicySnapshot.RoleAssignment;
import dev.portcullis.policy.engine.PolicySnapshot.Suspension;
import dev.portcullis.policy.engine.PolicySnapshot.Target;
import dev.portcullis.policy.engine.PolicySnapshot.Tier;
import dev.portcullis.policy.grant.WeeklySchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Builds policy snapshots for engine tests, one organization at a time. Names double as stable ids. */
final class Fixture {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    final UUID organization = id("organization");
    final Map<UUID, Property> properties = new LinkedHashMap<>();
    final Map<UUID, Door> doors = new LinkedHashMap<>();
    final Map<UUID, Area> areas = new LinkedHashMap<>();
    final Map<UUID, Tier> tiers = new LinkedHashMap<>();
    final Map<UUID, Group> groups = new LinkedHashMap<>();
    final List<RoleAssignment> roles = new ArrayList<>();
    final List<Grant> grants = new ArrayList<>();
    RateLimit rateLimit = RateLimit.DEFAULT;
    long version = 7;

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes());
    }

    static Instant local(ZoneId zone, String dateTime) {
        return LocalDateTime.parse(dateTime).atZone(zone).toInstant();
    }

    Property property(String name, ZoneId zone, LocalDate... holidays) {
        Property property = new Property(id(name), name, zone, Set.of(holidays), null);
        properties.put(property.id(), property);
        return property;
    }

    Property lockDown(Property property) {
        Property locked = new Property(property.id(), property.name(), property.zone(), property.holidays(),
                new Lockdown(Instant.parse("2026-11-20T10:00:00Z"), "fire alarm", "operator-1"));
        properties.put(property.id(), locked);
        return locked;
    }

    Door door(Property property, String name) {
        return door(property, name, null);
    }

    Door door(Property property, String name, Tier tier) {
        Door door = new Door(id(name), property.id(), null, null, name, tier == null ? null : tier.id());
        doors.put(door.id(), door);
        return door;
    }

    Area area(Property property, String name, Door... members) {
        List<UUID> ids = new ArrayList<>();
        for (Door door : members) {
            ids.add(door.id());
        }
        Area area = new Area(id(name), property.id(), name, Set.copyOf(ids));
        areas.put(area.id(), area);
        return area;
    }

    Tier tier(String name, Assurance assurance, String lockFactor, Role secondApprover, String usualHours, Assurance outsideUsualHours) {
        Tier tier = new Tier(id(name), name, assurance, lockFactor, secondApprover, usualHours == null ? null : WeeklySchedule.parse(usualHours),
                outsideUsualHours);
        tiers.put(tier.id(), tier);
        return tier;
    }

    Group group(String name, String... members) {
        Group group = new Group(id(name), name, Set.of(members));
        groups.put(group.id(), group);
        return group;
    }

    void role(String subject, Role role, Property property) {
        roles.add(new RoleAssignment(subject, role, property == null ? null : property.id()));
    }

    GrantBuilder grant(String name) {
        return new GrantBuilder(id(name));
    }

    PolicySnapshot snapshot() {
        return new PolicySnapshot(organization, version, properties, Map.of(), Map.of(), doors, areas, tiers, groups, roles, grants, rateLimit);
    }

    PolicyIndex index() {
        return PolicyIndex.of(snapshot());
    }

    /** A grant under construction: always, unbounded, unlimited unless told otherwise. */
    final class GrantBuilder {
        private final UUID id;
        private Grantee grantee;
        private Target target;
        private WeeklySchedule schedule = WeeklySchedule.always();
        private Instant validFrom;
        private Instant validUntil;
        private boolean closedOnHolidays;
        private final List<Suspension> suspensions = new ArrayList<>();
        private Integer maxUses;

        GrantBuilder(UUID id) {
            this.id = id;
        }

        GrantBuilder forSubject(String subject) {
            grantee = new Grantee.Subject(subject);
            return this;
        }

        GrantBuilder forGroup(Group group) {
            grantee = new Grantee.GroupOf(group.id());
            return this;
        }

        GrantBuilder forRole(Role role) {
            grantee = new Grantee.RoleOf(role);
            return this;
        }

        GrantBuilder on(Door door) {
            target = new Target.DoorOf(door.id());
            return this;
        }

        GrantBuilder on(Area area) {
            target = new Target.AreaOf(area.id());
            return this;
        }

        GrantBuilder schedule(String text) {
            schedule = WeeklySchedule.parse(text);
            return this;
        }

        GrantBuilder validFrom(Instant from) {
            validFrom = from;
            return this;
        }

        GrantBuilder validUntil(Instant until) {
            validUntil = until;
            return this;
        }

        GrantBuilder closedOnHolidays() {
            closedOnHolidays = true;
            return this;
        }

        GrantBuilder suspended(String from, String to) {
            suspensions.add(new Suspension(LocalDate.parse(from), LocalDate.parse(to), "contractor on leave"));
            return this;
        }

        GrantBuilder maxUses(int uses) {
            maxUses = uses;
            return this;
        }

        Grant add() {
            Grant grant = new Grant(id, grantee, target, schedule, validFrom, validUntil, closedOnHolidays, suspensions, maxUses);
            grants.add(grant);
            return grant;
        }
    }

    /** Counters tests set by hand. */
    static final class Counters implements Usage {
        final Map<UUID, Integer> uses = new HashMap<>();
        int permits;
        Duration askedWindow;

        @Override
        public int usesOf(UUID grantId) {
            return uses.getOrDefault(grantId, 0);
        }

        @Override
        public int permitsOf(String subjectId, Instant at, Duration window) {
            askedWindow = window;
            return permits;
        }
    }
}
