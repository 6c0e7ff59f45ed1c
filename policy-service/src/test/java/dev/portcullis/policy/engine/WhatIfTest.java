package dev.portcullis.policy.engine;

import static dev.portcullis.policy.engine.Fixture.BERLIN;
import static dev.portcullis.policy.engine.Fixture.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Group;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A draft change compared with the current policy over the Berlin fall-back week. */
class WhatIfTest {

    final Instant weekStart = local(BERLIN, "2026-10-19T00:00");
    final Instant weekEnd = local(BERLIN, "2026-10-26T00:00");

    /** The same policy twice, the second one changed by {@code draft}; returns the comparison. */
    WhatIf.Result compare(Consumer<Fixture> draft) {
        return WhatIf.compare(policy(f -> { }).index(), policy(draft).index(), weekStart, weekEnd);
    }

    static Fixture policy(Consumer<Fixture> draft) {
        Fixture fixture = new Fixture();
        Property home = fixture.property("Home", BERLIN);
        Door front = fixture.door(home, "Front door");
        Door cellar = fixture.door(home, "Cellar");
        Group cleaners = fixture.group("Cleaning crew", "cleaner-1");
        fixture.grant("tenant").forSubject("tenant-1").on(front).add();
        fixture.grant("cleaning").forGroup(cleaners).on(fixture.area(home, "Common doors", front, cellar)).schedule("SUN 02:00-03:00").add();
        fixture.role("responder", Role.EMERGENCY, null);
        fixture.grant("responders").forRole(Role.EMERGENCY).on(front).add();
        draft.accept(fixture);
        return fixture;
    }

    static Door door(Fixture fixture, String name) {
        return fixture.doors.get(Fixture.id(name));
    }

    @Test
    void theSamePolicyChangesNothing() {
        assertTrue(compare(f -> { }).noChange());
    }

    @Test
    void aRevokedGrantIsLostAccess() {
        WhatIf.Result result = compare(f -> f.grants.removeIf(g -> g.id().equals(Fixture.id("tenant"))));
        assertEquals(1, result.lost().size());
        WhatIf.AccessChange lost = result.lost().get(0);
        assertEquals("tenant-1", lost.subjectId());
        assertEquals("Front door", lost.door());
        assertEquals(List.of(new Interval(weekStart, weekEnd)), lost.before());
        assertEquals(List.of(), lost.after());
        assertEquals(List.of(), result.gained());
        assertEquals(List.of(), result.changed());
    }

    @Test
    void aNewGroupMemberGainsTheGroupsDoors() {
        WhatIf.Result result = compare(f -> f.group("Cleaning crew", "cleaner-1", "cleaner-2"));
        assertEquals(List.of("Cellar", "Front door"), result.gained().stream().map(WhatIf.AccessChange::door).toList());
        assertTrue(result.gained().stream().allMatch(change -> change.subjectId().equals("cleaner-2")));
        // SUN 02:00-03:00 on 2026-10-25 happens twice: 00:00Z to 02:00Z.
        assertEquals(List.of(new Interval(Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T02:00:00Z"))),
                result.gained().get(0).after());
    }

    @Test
    void aNarrowerScheduleIsChangedAccess() {
        WhatIf.Result result = compare(f -> {
            f.grants.removeIf(g -> g.id().equals(Fixture.id("tenant")));
            f.grant("tenant").forSubject("tenant-1").on(door(f, "Front door")).schedule("MON-FRI 08:00-18:00").add();
        });
        assertEquals(1, result.changed().size());
        assertEquals(5, result.changed().get(0).after().size());
        assertEquals(List.of(), result.lost());
    }

    @Test
    void aStricterTierChangesEveryonesAccessToTheDoor() {
        WhatIf.Result result = compare(f -> {
            var tier = f.tier("Sensitive", new Assurance("aal2", null), null, null, null, null);
            Door front = door(f, "Front door");
            f.doors.put(front.id(), new Door(front.id(), front.propertyId(), null, null, front.name(), tier.id()));
        });
        assertEquals(List.of("cleaner-1", "responder", "tenant-1"), result.changed().stream().map(WhatIf.AccessChange::subjectId).toList());
        assertEquals("aal2", result.changed().get(0).conditionsAfter().assurance().requiredAcr());
        assertEquals(null, result.changed().get(0).conditionsBefore().tier());
    }

    @Test
    void aLockdownTakesAccessFromAllButTheEmergencyRole() {
        WhatIf.Result result = compare(f -> f.lockDown(f.properties.get(Fixture.id("Home"))));
        assertEquals(List.of("cleaner-1", "cleaner-1", "tenant-1"), result.lost().stream().map(WhatIf.AccessChange::subjectId).toList());
        assertEquals(List.of("responder"), result.changed().stream().map(WhatIf.AccessChange::subjectId).toList(),
                "the responder keeps access; the door's conditions now show the lockdown");
    }

    @Test
    void aNewRoleHolderGainsTheRolesDoorsAndAHolidayChangesAccess() {
        WhatIf.Result role = compare(f -> f.role("responder-2", Role.EMERGENCY, f.properties.get(Fixture.id("Home"))));
        assertEquals(List.of("responder-2"), role.gained().stream().map(WhatIf.AccessChange::subjectId).toList());

        WhatIf.Result holiday = compare(f -> {
            Property home = f.properties.get(Fixture.id("Home"));
            f.properties.put(home.id(), new Property(home.id(), home.name(), home.zone(), java.util.Set.of(java.time.LocalDate.parse("2026-10-21")),
                    null));
            Grant tenant = f.grants.remove(0);
            f.grants.add(0, new Grant(tenant.id(), tenant.grantee(), tenant.target(), tenant.schedule(), null, null, true, List.of(), null));
        });
        assertEquals(List.of("tenant-1"), holiday.changed().stream().map(WhatIf.AccessChange::subjectId).toList());
        assertEquals(2, holiday.changed().get(0).after().size(), "closed on Wednesday 2026-10-21");
    }

    /** Skipping doors whose inputs are equal gives the same answer as reviewing every door, for random drafts. */
    @Test
    void skippingUnchangedDoorsChangesNoAnswer() {
        java.util.Random random = new java.util.Random(7);
        int withChanges = 0;
        for (int round = 0; round < 60; round++) {
            int kind = round % 6;
            long seed = random.nextLong();
            Fixture before = randomPolicy(seed);
            Fixture after = randomPolicy(seed);
            java.util.Random draft = new java.util.Random(seed + 1);
            switch (kind) {
                case 0 -> after.grants.remove(draft.nextInt(after.grants.size()));
                case 1 -> {
                    int member = draft.nextInt(6);
                    after.group("G" + draft.nextInt(3), "s" + member, "s" + (member + 1) % 6);
                }
                case 2 -> after.role("s" + draft.nextInt(6), Role.values()[draft.nextInt(3)], draft.nextBoolean() ? null
                        : after.properties.get(Fixture.id("Home")));
                case 3 -> after.lockDown(after.properties.get(Fixture.id(draft.nextBoolean() ? "Home" : "Office")));
                case 4 -> after.area(after.properties.get(Fixture.id("Home")), "A0", door(after, "D" + draft.nextInt(4)));
                default -> after.grant("new").forSubject("s" + draft.nextInt(6)).on(door(after, "D" + draft.nextInt(6))).schedule("TUE 09:00-10:00")
                        .add();
            }
            PolicyIndex was = before.index();
            PolicyIndex will = after.index();
            WhatIf.Result everyDoor = WhatIf.compare(was, will, weekStart, weekEnd, false);
            assertEquals(everyDoor, WhatIf.compare(was, will, weekStart, weekEnd, true), "round " + round);
            withChanges += everyDoor.noChange() ? 0 : 1;
        }
        assertTrue(withChanges >= 30, "most drafts change something: " + withChanges);
    }

    static Fixture randomPolicy(long seed) {
        java.util.Random random = new java.util.Random(seed);
        Fixture fixture = new Fixture();
        Property home = fixture.property("Home", BERLIN);
        Property office = fixture.property("Office", java.time.ZoneId.of("America/New_York"));
        List<Door> doors = new java.util.ArrayList<>();
        for (int d = 0; d < 6; d++) {
            doors.add(fixture.door(d < 4 ? home : office, "D" + d));
        }
        List<PolicySnapshot.Area> areas = List.of(fixture.area(home, "A0", doors.get(0), doors.get(1)), fixture.area(office, "A1", doors.get(4)));
        List<Group> groups = List.of(fixture.group("G0", "s0", "s1"), fixture.group("G1", "s2"), fixture.group("G2", "s3", "s4"));
        for (int s = 0; s < 6; s++) {
            if (random.nextBoolean()) {
                fixture.role("s" + s, Role.values()[random.nextInt(3)], random.nextBoolean() ? null : (random.nextBoolean() ? home : office));
            }
        }
        fixture.role("s5", Role.EMERGENCY, null);
        List<String> schedules = List.of("always", "MON-FRI 08:00-18:00", "SUN 01:00-04:00", "SAT 22:00-02:00");
        for (int g = 0; g < 25; g++) {
            Fixture.GrantBuilder grant = fixture.grant("g" + g).schedule(schedules.get(random.nextInt(schedules.size())));
            switch (random.nextInt(3)) {
                case 0 -> grant.forSubject("s" + random.nextInt(6));
                case 1 -> grant.forGroup(groups.get(random.nextInt(groups.size())));
                default -> grant.forRole(Role.values()[random.nextInt(3)]);
            }
            if (random.nextBoolean()) {
                grant.on(doors.get(random.nextInt(doors.size())));
            } else {
                grant.on(areas.get(random.nextInt(areas.size())));
            }
            grant.add();
        }
        fixture.grant("emergency").forRole(Role.EMERGENCY).on(areas.get(0)).add();
        return fixture;
    }

    @Test
    void aRemovedDoorIsLostByEveryone() {
        WhatIf.Result result = compare(f -> {
            Grant cleaning = f.grants.stream().filter(g -> g.id().equals(Fixture.id("cleaning"))).findFirst().orElseThrow();
            f.doors.remove(Fixture.id("Cellar"));
            assertTrue(cleaning.target() instanceof PolicySnapshot.Target.AreaOf);
        });
        assertEquals(List.of("Cellar"), result.lost().stream().map(WhatIf.AccessChange::door).toList());
    }
}
