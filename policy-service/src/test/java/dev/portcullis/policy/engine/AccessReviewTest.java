package dev.portcullis.policy.engine;

import static dev.portcullis.policy.engine.Fixture.BERLIN;
import static dev.portcullis.policy.engine.Fixture.NEW_YORK;
import static dev.portcullis.policy.engine.Fixture.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.engine.PolicySnapshot.Area;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Group;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.Tier;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Who can open a door, and what a subject can open. */
class AccessReviewTest {

    final Fixture fixture = new Fixture();
    final Property home = fixture.property("Home", BERLIN);
    final Property office = fixture.property("Office", NEW_YORK);
    final Tier vaultTier = fixture.tier("Vault", new Assurance("aal2", Duration.ofMinutes(10)), "biometric_liveness", Role.PROPERTY_MANAGER,
            "MON-FRI 07:00-19:00", new Assurance("phr", Duration.ofMinutes(5)));
    final Door front = fixture.door(home, "Front door");
    final Door vault = fixture.door(home, "Vault", vaultTier);
    final Door lobby = fixture.door(office, "Lobby");
    final Area common = fixture.area(home, "Common doors", front, vault);
    final Group cleaners = fixture.group("Cleaning crew", "cleaner-1", "cleaner-2");

    /** The DST week in Berlin: Monday 2026-03-23 00:00 to Monday 2026-03-30 00:00 local. */
    final Instant weekStart = local(BERLIN, "2026-03-23T00:00");
    final Instant weekEnd = local(BERLIN, "2026-03-30T00:00");

    @Test
    void whoCanOpenListsEverySubjectWithItsGrantsAndIntervalsInADstWeek() {
        Grant tenant = fixture.grant("tenant").forSubject("tenant-1").on(front).schedule("SUN 01:00-04:00").add();
        Grant cleaning = fixture.grant("cleaning").forGroup(cleaners).on(common).schedule("SAT 22:00-02:00").add();
        Grant maintenance = fixture.grant("maintenance").forRole(Role.MAINTENANCE).on(front).schedule("MON 08:00-09:00").add();
        fixture.grant("expired").forSubject("ex-tenant").on(front).validUntil(weekStart).add();
        fixture.grant("other door").forSubject("tenant-2").on(lobby).add();
        fixture.role("fixer-org", Role.MAINTENANCE, null);
        fixture.role("fixer-home", Role.MAINTENANCE, home);
        fixture.role("fixer-office", Role.MAINTENANCE, office);

        WhoCanOpen review = AccessReview.whoCanOpen(fixture.index(), front.id(), weekStart, weekEnd).orElseThrow();

        assertEquals("Europe/Berlin", review.zone());
        assertEquals(List.of("cleaner-1", "cleaner-2", "fixer-home", "fixer-org", "tenant-1"),
                review.subjects().stream().map(WhoCanOpen.SubjectAccess::subjectId).toList(),
                "expired grants, other doors and a role held in another property are left out");
        WhoCanOpen.SubjectAccess tenantAccess = review.subjects().get(4);
        // Sunday 2026-03-29 01:00 CET (00:00Z) to 04:00 CEST (02:00Z): two hours on the night the clocks go forward.
        assertEquals(List.of(new Interval(Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-29T02:00:00Z"))),
                tenantAccess.intervals());
        assertEquals(List.of(new WhoCanOpen.GrantAccess(tenant.id(), "subject", "door Front door", "SUN 01:00-04:00", null, null,
                tenantAccess.intervals())), tenantAccess.grants());

        WhoCanOpen.SubjectAccess cleaner = review.subjects().get(0);
        assertEquals("group Cleaning crew", cleaner.grants().get(0).via());
        assertEquals("area Common doors", cleaner.grants().get(0).target());
        assertEquals(cleaning.id(), cleaner.grants().get(0).grantId());
        // Saturday 22:00 CET to Sunday 02:00 local, which is the jump to CEST at 01:00Z.
        assertEquals(List.of(new Interval(Instant.parse("2026-03-28T21:00:00Z"), Instant.parse("2026-03-29T01:00:00Z"))), cleaner.intervals());

        assertEquals("role maintenance in Home", review.subjects().get(2).grants().get(0).via());
        assertEquals("role maintenance (organization)", review.subjects().get(3).grants().get(0).via());
        assertEquals(maintenance.id(), review.subjects().get(3).grants().get(0).grantId());
        assertEquals(new DoorConditions(null, null, null, null, null, null, null), review.conditions());
    }

    @Test
    void theDoorsConditionsAndALockdownAreReported() {
        fixture.grant("vault").forSubject("tenant-1").on(vault).add();
        fixture.grant("responders").forRole(Role.EMERGENCY).on(vault).add();
        fixture.role("responder", Role.EMERGENCY, home);
        fixture.lockDown(home);

        WhoCanOpen review = AccessReview.whoCanOpen(fixture.index(), vault.id(), weekStart, weekEnd).orElseThrow();

        DoorConditions conditions = review.conditions();
        assertEquals("Vault", conditions.tier());
        assertEquals(new Assurance("aal2", Duration.ofMinutes(10)), conditions.assurance());
        assertEquals("MON-FRI 07:00-19:00", conditions.usualHours());
        assertEquals(new Assurance("phr", Duration.ofMinutes(5)), conditions.outsideUsualHours());
        assertEquals("biometric_liveness", conditions.lockFactor());
        assertEquals(Role.PROPERTY_MANAGER, conditions.secondApproverRole());
        assertEquals("fire alarm", conditions.lockdown().reason());
        WhoCanOpen.SubjectAccess responder = review.subjects().get(0);
        WhoCanOpen.SubjectAccess tenant = review.subjects().get(1);
        assertEquals("responder", responder.subjectId());
        assertTrue(responder.emergencyRole());
        assertFalse(responder.blockedByLockdown());
        assertTrue(tenant.blockedByLockdown());
    }

    @Test
    void exhaustedUseLimitedGrantsOpenNothing() {
        Grant guest = fixture.grant("guest").forSubject("guest-1").on(front).maxUses(3).add();
        Fixture.Counters counters = new Fixture.Counters();
        counters.uses.put(guest.id(), 1);
        WhoCanOpen.GrantAccess access = AccessReview.whoCanOpen(fixture.index(), front.id(), weekStart, weekEnd, counters).orElseThrow()
                .subjects().get(0).grants().get(0);
        assertEquals(3, access.maxUses());
        assertEquals(2, access.usesLeft());
        counters.uses.put(guest.id(), 3);
        assertEquals(List.of(), AccessReview.whoCanOpen(fixture.index(), front.id(), weekStart, weekEnd, counters).orElseThrow().subjects());
    }

    @Test
    void anUnknownDoorHasNoReview() {
        assertTrue(AccessReview.whoCanOpen(fixture.index(), UUID.randomUUID(), weekStart, weekEnd).isEmpty());
    }

    @Test
    void whatCanOpenSaysWhatIsOpenNowAndWhenTheRestOpensAcrossTheDstChange() {
        fixture.grant("front").forSubject("tenant-1").on(front).schedule("SAT 08:00-20:00").add();
        fixture.grant("vault").forGroup(cleaners).on(vault).schedule("SUN 08:00-09:00").add();
        fixture.grant("lobby").forRole(Role.TENANT).on(lobby).add();
        fixture.role("tenant-1", Role.TENANT, home);
        fixture.role("cleaner-1", Role.TENANT, null);
        Instant saturdayNoon = local(BERLIN, "2026-03-28T12:00");

        WhatCanOpen tenant = AccessReview.whatCanOpen(fixture.index(), "tenant-1", saturdayNoon, Duration.ofDays(2));
        assertEquals(List.of("Front door"), tenant.doors().stream().map(WhatCanOpen.DoorAccess::door).toList(),
                "the lobby's role grant needs the role in the office's property");
        assertTrue(tenant.doors().get(0).openNow());
        assertNull(tenant.doors().get(0).nextOpening());

        WhatCanOpen cleaner = AccessReview.whatCanOpen(fixture.index(), "cleaner-1", saturdayNoon, Duration.ofDays(2));
        assertEquals(List.of("Lobby", "Vault"), cleaner.doors().stream().map(WhatCanOpen.DoorAccess::door).toList());
        WhatCanOpen.DoorAccess vaultAccess = cleaner.doors().get(1);
        assertFalse(vaultAccess.openNow());
        assertEquals(Instant.parse("2026-03-29T06:00:00Z"), vaultAccess.nextOpening(), "08:00 CEST, the clocks went forward overnight");
        assertEquals(List.of(Reason.REASON_STEP_UP_REQUIRED, Reason.REASON_UNUSUAL_HOURS, Reason.REASON_LOCK_FACTOR_REQUIRED,
                Reason.REASON_SECOND_APPROVER_REQUIRED), vaultAccess.notes(), "Saturday is outside the vault's usual hours");
        assertTrue(cleaner.doors().get(0).openNow(), "org-wide tenant role opens the office lobby");

        WhatCanOpen beyond = AccessReview.whatCanOpen(fixture.index(), "cleaner-1", saturdayNoon, Duration.ofHours(12));
        assertNull(beyond.doors().get(1).nextOpening(), "not within the horizon");
    }

    @Test
    void whatCanOpenDuringALockdown() {
        fixture.grant("front").forSubject("tenant-1").on(front).add();
        fixture.grant("front responders").forRole(Role.EMERGENCY).on(front).add();
        fixture.role("responder", Role.EMERGENCY, null);
        fixture.lockDown(home);
        Instant now = local(BERLIN, "2026-11-23T10:00");

        WhatCanOpen.DoorAccess tenant = AccessReview.whatCanOpen(fixture.index(), "tenant-1", now, Duration.ofDays(1)).doors().get(0);
        assertFalse(tenant.openNow());
        assertNull(tenant.nextOpening(), "the end of a lockdown is not known");
        assertEquals(List.of(Reason.REASON_LOCKDOWN), tenant.notes());

        WhatCanOpen.DoorAccess responder = AccessReview.whatCanOpen(fixture.index(), "responder", now, Duration.ofDays(1)).doors().get(0);
        assertTrue(responder.openNow());
        assertEquals(List.of(Reason.REASON_EMERGENCY_OVERRIDE), responder.notes());
    }
}
