package dev.portcullis.policy.bench;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.engine.DecisionRequest;
import dev.portcullis.policy.engine.DecisionRequest.SignIn;
import dev.portcullis.policy.engine.PolicySnapshot;
import dev.portcullis.policy.engine.PolicySnapshot.Area;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Grantee;
import dev.portcullis.policy.engine.PolicySnapshot.Group;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.RateLimit;
import dev.portcullis.policy.engine.PolicySnapshot.RoleAssignment;
import dev.portcullis.policy.engine.PolicySnapshot.Suspension;
import dev.portcullis.policy.engine.PolicySnapshot.Target;
import dev.portcullis.policy.engine.PolicySnapshot.Tier;
import dev.portcullis.policy.engine.Role;
import dev.portcullis.policy.grant.WeeklySchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A large organization for the engine benchmark, generated from a fixed seed: 10 properties in 5 time zones with
 * 200 doors each (2,000), 20,000 subjects in 500 groups, tenant roles per property, and 100,000 grants (80,000
 * direct subject → door, 19,000 group → area, 1,000 role → area) with mixed schedules, validity, holidays,
 * suspensions and use limits. Every 10th private door has a step-up tier.
 */
final class SyntheticPolicy {

    static final int PROPERTIES = 10;
    static final int DOORS_PER_PROPERTY = 200;
    static final int PRIVATE_DOORS = 100; // doors 0..99 of a property: flats; 100..199: common doors in 10 areas
    static final int SUBJECTS = 20_000;
    static final int GROUPS = 500;
    static final int DIRECT_PER_SUBJECT = 4;
    static final int GRANTS_PER_GROUP = 38;
    static final int ROLE_GRANTS = 1_000;
    static final List<ZoneId> ZONES = List.of(ZoneId.of("Europe/Berlin"), ZoneId.of("America/New_York"), ZoneId.of("Europe/London"),
            ZoneId.of("Asia/Tokyo"), ZoneId.of("America/Los_Angeles"));
    static final List<String> SCHEDULES = List.of("always", "MON-FRI 07:00-20:00", "SAT,SUN 09:00-17:00", "FRI 22:00-02:00",
            "MON,WED,FRI 06:00-10:00; TUE,THU 16:00-22:00");

    /** Tuesday 2026-11-24, 10:00 in Berlin. */
    static final Instant AT = Instant.parse("2026-11-24T09:00:00Z");

    final PolicySnapshot snapshot;
    final DecisionRequest permitDirect;
    final DecisionRequest permitAreaGroup;
    final DecisionRequest denyNoGrant;
    final DecisionRequest stepUp;

    SyntheticPolicy() {
        Random random = new Random(20261124);
        Map<UUID, Property> properties = new LinkedHashMap<>();
        Map<UUID, Door> doors = new LinkedHashMap<>();
        Map<UUID, Area> areas = new LinkedHashMap<>();
        Map<UUID, Tier> tiers = new LinkedHashMap<>();
        Map<UUID, Group> groups = new LinkedHashMap<>();
        List<RoleAssignment> roles = new ArrayList<>();
        List<Grant> grants = new ArrayList<>(100_000);

        Tier sensitive = new Tier(id("tier"), "Sensitive", new Assurance("aal2", Duration.ofMinutes(15)), null, null, null, null);
        tiers.put(sensitive.id(), sensitive);
        List<List<Door>> doorsOf = new ArrayList<>();
        List<List<Area>> areasOf = new ArrayList<>();
        for (int p = 0; p < PROPERTIES; p++) {
            Property property = new Property(id("property-" + p), "Property " + p, ZONES.get(p % ZONES.size()),
                    Set.of(LocalDate.parse("2026-12-25"), LocalDate.parse("2026-01-01")), null);
            properties.put(property.id(), property);
            List<Door> propertyDoors = new ArrayList<>();
            for (int d = 0; d < DOORS_PER_PROPERTY; d++) {
                boolean tiered = d < PRIVATE_DOORS && d % 10 == 0;
                Door door = new Door(id("door-" + p + "-" + d), property.id(), null, null, "Door " + p + "-" + d, tiered ? sensitive.id() : null);
                doors.put(door.id(), door);
                propertyDoors.add(door);
            }
            doorsOf.add(propertyDoors);
            List<Area> propertyAreas = new ArrayList<>();
            for (int a = 0; a < 10; a++) {
                Set<UUID> members = new HashSet<>();
                for (int d = PRIVATE_DOORS + a * 10; d < PRIVATE_DOORS + a * 10 + 10; d++) {
                    members.add(propertyDoors.get(d).id());
                }
                Area area = new Area(id("area-" + p + "-" + a), property.id(), "Area " + p + "-" + a, members);
                areas.put(area.id(), area);
                propertyAreas.add(area);
            }
            areasOf.add(propertyAreas);
        }
        // Subject i lives in property i % 10 and is in group i % 500 (whose members therefore share a property).
        Map<Integer, Set<String>> members = new HashMap<>();
        for (int i = 0; i < SUBJECTS; i++) {
            members.computeIfAbsent(i % GROUPS, g -> new HashSet<>()).add(subject(i));
            roles.add(new RoleAssignment(subject(i), Role.TENANT, id("property-" + (i % PROPERTIES))));
            if (i % 200 == 0) {
                roles.add(new RoleAssignment(subject(i), Role.MAINTENANCE, null));
            }
        }
        for (int g = 0; g < GROUPS; g++) {
            Group group = new Group(id("group-" + g), "Group " + g, members.get(g));
            groups.put(group.id(), group);
        }
        // Direct grants: the first "always" on a flat, the second "always" on a tiered flat, two more at random.
        for (int i = 0; i < SUBJECTS; i++) {
            List<Door> home = doorsOf.get(i % PROPERTIES);
            Grantee grantee = new Grantee.Subject(subject(i));
            grants.add(grant("direct-" + i + "-0", grantee, new Target.DoorOf(home.get(1 + random.nextInt(9)).id()), "always", null));
            grants.add(grant("direct-" + i + "-1", grantee, new Target.DoorOf(home.get(10 * random.nextInt(10)).id()), "always", null));
            for (int k = 2; k < DIRECT_PER_SUBJECT; k++) {
                Grant grant = grant("direct-" + i + "-" + k, grantee, new Target.DoorOf(home.get(random.nextInt(PRIVATE_DOORS)).id()),
                        SCHEDULES.get(random.nextInt(SCHEDULES.size())), random.nextInt(4) == 0 ? 5 : null);
                grants.add(random.nextInt(5) == 0 ? withValidityAndSuspension(grant) : grant);
            }
        }
        // Group grants on the common areas of the group's property: the first one "always".
        for (int g = 0; g < GROUPS; g++) {
            List<Area> common = areasOf.get(g % PROPERTIES);
            Grantee grantee = new Grantee.GroupOf(id("group-" + g));
            for (int k = 0; k < GRANTS_PER_GROUP; k++) {
                String schedule = k == 0 ? "always" : SCHEDULES.get(random.nextInt(SCHEDULES.size()));
                grants.add(grant("group-" + g + "-" + k, grantee, new Target.AreaOf(common.get(k == 0 ? g / PROPERTIES % 10 : random.nextInt(10)).id()),
                        schedule, null));
            }
        }
        for (int r = 0; r < ROLE_GRANTS; r++) {
            List<Area> common = areasOf.get(r % PROPERTIES);
            Role role = r % 2 == 0 ? Role.MAINTENANCE : Role.TENANT;
            grants.add(grant("role-" + r, new Grantee.RoleOf(role), new Target.AreaOf(common.get(random.nextInt(10)).id()),
                    SCHEDULES.get(1 + random.nextInt(SCHEDULES.size() - 1)), null));
        }
        snapshot = new PolicySnapshot(id("organization"), 1, properties, Map.of(), Map.of(), doors, areas, tiers, groups, roles, grants,
                RateLimit.DEFAULT);

        // Subject 0 lives in property 0 (Berlin) and is in group 0, whose first grant opens area 0-0 always.
        Grant first = grants.get(0);
        Grant tiered = grants.get(1);
        SignIn strong = new SignIn("aal2", AT.minusSeconds(60));
        permitDirect = new DecisionRequest(subject(0), ((Target.DoorOf) first.target()).doorId(), AT, strong);
        UUID commonDoor = areasOf.get(0).get(0).doorIds().stream().sorted().findFirst().orElseThrow();
        permitAreaGroup = new DecisionRequest(subject(0), commonDoor, AT, strong);
        denyNoGrant = new DecisionRequest(subject(0), doorsOf.get(1).get(5).id(), AT, strong);
        stepUp = new DecisionRequest(subject(0), ((Target.DoorOf) tiered.target()).doorId(), AT, new SignIn("aal1", AT.minusSeconds(60)));
    }

    static String subject(int i) {
        return "subject-" + i;
    }

    static UUID id(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes());
    }

    private static Grant grant(String name, Grantee grantee, Target target, String schedule, Integer maxUses) {
        return new Grant(id(name), grantee, target, WeeklySchedule.parse(schedule), null, null, false, List.of(), maxUses);
    }

    private static Grant withValidityAndSuspension(Grant grant) {
        return new Grant(grant.id(), grant.grantee(), grant.target(), grant.schedule(), Instant.parse("2026-01-01T00:00:00Z"),
                Instant.parse("2027-01-01T00:00:00Z"), true, List.of(new Suspension(LocalDate.parse("2026-08-01"),
                        LocalDate.parse("2026-08-14"), "summer")), grant.maxUses());
    }
}
