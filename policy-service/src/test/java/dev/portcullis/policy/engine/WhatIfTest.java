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
    void aRemovedDoorIsLostByEveryone() {
        WhatIf.Result result = compare(f -> {
            Grant cleaning = f.grants.stream().filter(g -> g.id().equals(Fixture.id("cleaning"))).findFirst().orElseThrow();
            f.doors.remove(Fixture.id("Cellar"));
            assertTrue(cleaning.target() instanceof PolicySnapshot.Target.AreaOf);
        });
        assertEquals(List.of("Cellar"), result.lost().stream().map(WhatIf.AccessChange::door).toList());
    }
}
