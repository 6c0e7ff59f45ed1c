package dev.portcullis.policy.engine;

import static dev.portcullis.policy.engine.Fixture.BERLIN;
import static dev.portcullis.policy.engine.Fixture.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.engine.Decision.LockFactor;
import dev.portcullis.policy.engine.Decision.Notify;
import dev.portcullis.policy.engine.Decision.RuleResult;
import dev.portcullis.policy.engine.Decision.SecondApprover;
import dev.portcullis.policy.engine.Decision.StepUp;
import dev.portcullis.policy.engine.DecisionRequest.SignIn;
import dev.portcullis.policy.engine.PolicySnapshot.Area;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Group;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.RateLimit;
import dev.portcullis.policy.engine.PolicySnapshot.Tier;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The decision rules other than the grant checks of {@link GrantScheduleTableTest}: who is covered, gates, tiers, fail closed, trace. */
class PolicyEngineTest {

    /** Monday 2026-11-23 10:00 in Berlin: inside office hours. */
    static final Instant MONDAY_10 = local(BERLIN, "2026-11-23T10:00");
    static final SignIn STRONG = new SignIn("phr", MONDAY_10.minusSeconds(30));

    final Fixture fixture = new Fixture();
    final Property home = fixture.property("Home", BERLIN, LocalDate.parse("2026-12-25"));
    final Property office = fixture.property("Office", BERLIN);
    final Door front = fixture.door(home, "Front door");
    final Door cellar = fixture.door(home, "Cellar");
    final Door lobby = fixture.door(office, "Lobby");
    final Fixture.Counters counters = new Fixture.Counters();

    Decision decide(String subject, Door door) {
        return decide(subject, door, MONDAY_10, STRONG, DeviceState.UNKNOWN);
    }

    Decision decide(String subject, Door door, Instant at, SignIn signIn, DeviceState device) {
        return PolicyEngine.decideSafely(fixture.index(), new DecisionRequest(subject, door.id(), at, signIn), device, counters);
    }

    static List<String> rules(Decision decision) {
        return decision.trace().stream().map(RuleResult::rule).toList();
    }

    @Test
    void anUnknownDoorIsDenied() {
        Decision decision = PolicyEngine.decideSafely(fixture.index(), new DecisionRequest("tenant-1", UUID.randomUUID(), MONDAY_10, STRONG),
                DeviceState.UNKNOWN, counters);
        assertFalse(decision.permit());
        assertEquals(List.of(Reason.REASON_UNKNOWN_DOOR), decision.reasons());
        assertEquals(7, decision.policyVersion());
    }

    @Test
    void noGrantMeansDeny() {
        fixture.grant("other door").forSubject("tenant-1").on(cellar).add();
        fixture.grant("other subject").forSubject("tenant-2").on(front).add();
        Decision decision = decide("tenant-1", front);
        assertFalse(decision.permit());
        assertEquals(List.of(Reason.REASON_NO_GRANT), decision.reasons());
        assertNull(decision.grantId());
    }

    @Test
    void aDirectGrantPermitsWithItsIdAndThePolicyVersion() {
        Grant grant = fixture.grant("direct").forSubject("tenant-1").on(front).schedule("MON-FRI 08:00-18:00").add();
        Decision decision = decide("tenant-1", front);
        assertTrue(decision.permit());
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED), decision.reasons());
        assertEquals(grant.id(), decision.grantId());
        assertFalse(decision.useLimited());
        assertEquals(7, decision.policyVersion());
        assertEquals(List.of(), decision.obligations());
    }

    @Test
    void anAreaGrantCoversItsDoorsOnly() {
        Area common = fixture.area(home, "Common doors", front);
        Grant grant = fixture.grant("area").forSubject("tenant-1").on(common).add();
        assertEquals(grant.id(), decide("tenant-1", front).grantId());
        assertEquals(List.of(Reason.REASON_NO_GRANT), decide("tenant-1", cellar).reasons());
    }

    @Test
    void aGroupGrantCoversItsMembersOnly() {
        Group cleaners = fixture.group("Cleaning crew", "cleaner-1", "cleaner-2");
        Area common = fixture.area(home, "Common doors", front, cellar);
        Grant grant = fixture.grant("cleaning").forGroup(cleaners).on(common).add();
        assertEquals(grant.id(), decide("cleaner-2", cellar).grantId());
        assertEquals(List.of(Reason.REASON_NO_GRANT), decide("tenant-1", cellar).reasons());
    }

    @Test
    void aRoleGrantCoversHoldersOrgWideAndInTheDoorsPropertyOnly() {
        Grant grant = fixture.grant("maintenance").forRole(Role.MAINTENANCE).on(fixture.area(home, "Home doors", front)).add();
        fixture.grant("maintenance office").forRole(Role.MAINTENANCE).on(lobby).add();
        fixture.role("fixer-everywhere", Role.MAINTENANCE, null);
        fixture.role("fixer-at-home", Role.MAINTENANCE, home);
        fixture.role("fixer-at-office", Role.MAINTENANCE, office);
        fixture.role("tenant-at-home", Role.TENANT, home);

        assertEquals(grant.id(), decide("fixer-everywhere", front).grantId());
        assertEquals(grant.id(), decide("fixer-at-home", front).grantId());
        assertEquals(List.of(Reason.REASON_NO_GRANT), decide("fixer-at-office", front).reasons(), "the role is held in another property");
        assertTrue(decide("fixer-at-office", lobby).permit());
        assertEquals(List.of(Reason.REASON_NO_GRANT), decide("fixer-at-home", lobby).reasons());
        assertEquals(List.of(Reason.REASON_NO_GRANT), decide("tenant-at-home", front).reasons(), "another role");
    }

    @Test
    void aRoleIsHeldForADoorOrgWideOrInItsProperty() {
        fixture.role("manager-org", Role.PROPERTY_MANAGER, null);
        fixture.role("manager-home", Role.PROPERTY_MANAGER, home);
        PolicyIndex index = fixture.index();
        assertTrue(index.holdsRoleFor("manager-org", Role.PROPERTY_MANAGER, lobby.id()));
        assertTrue(index.holdsRoleFor("manager-home", Role.PROPERTY_MANAGER, front.id()));
        assertFalse(index.holdsRoleFor("manager-home", Role.PROPERTY_MANAGER, lobby.id()), "another property");
        assertFalse(index.holdsRoleFor("manager-home", Role.OWNER, front.id()), "another role");
        assertFalse(index.holdsRoleFor("manager-org", Role.PROPERTY_MANAGER, UUID.randomUUID()), "unknown door");
    }

    @Test
    void failingCandidatesGiveTheirDistinctReasons() {
        fixture.grant("expired").forSubject("tenant-1").on(front).validUntil(MONDAY_10.minusSeconds(1)).add();
        fixture.grant("weekend").forSubject("tenant-1").on(front).schedule("SAT,SUN 10:00-12:00").add();
        fixture.grant("evening").forSubject("tenant-1").on(front).schedule("MON 18:00-20:00").add();
        Decision decision = decide("tenant-1", front);
        assertFalse(decision.permit());
        assertEquals(List.of(Reason.REASON_GRANT_NOT_VALID_NOW, Reason.REASON_OUTSIDE_SCHEDULE), decision.reasons());
    }

    @Test
    void oneFailingGrantDoesNotSpoilAPassingOne() {
        fixture.grant("weekend").forSubject("tenant-1").on(front).schedule("SAT,SUN 10:00-12:00").add();
        Grant weekdays = fixture.grant("weekdays").forSubject("tenant-1").on(front).schedule("MON-FRI 08:00-18:00").add();
        assertEquals(weekdays.id(), decide("tenant-1", front).grantId());
    }

    @Test
    void useLimitsCountAndAnUnlimitedGrantIsPreferred() {
        Grant threeEntries = fixture.grant("three entries").forSubject("guest-1").on(front).maxUses(3).add();
        counters.uses.put(threeEntries.id(), 2);
        Decision third = decide("guest-1", front);
        assertTrue(third.permit());
        assertEquals(threeEntries.id(), third.grantId());
        assertTrue(third.useLimited(), "the store must consume a use");

        counters.uses.put(threeEntries.id(), 3);
        Decision fourth = decide("guest-1", front);
        assertFalse(fourth.permit());
        assertEquals(List.of(Reason.REASON_USE_LIMIT_REACHED), fourth.reasons());

        counters.uses.put(threeEntries.id(), 0);
        Grant unlimited = fixture.grant("unlimited").forSubject("guest-1").on(front).add();
        Decision preferred = decide("guest-1", front);
        assertEquals(unlimited.id(), preferred.grantId(), "an unlimited grant is used before a limited one");
        assertFalse(preferred.useLimited());
    }

    @Test
    void usesAreOnlyCountedForLimitedGrants() {
        fixture.grant("unlimited").forSubject("tenant-1").on(front).add();
        Usage noUsesPlease = new Usage() {
            @Override
            public int usesOf(UUID grantId) {
                throw new AssertionError("asked for the uses of an unlimited grant");
            }

            @Override
            public int permitsOf(String subjectId, Instant at, Duration window) {
                return 0;
            }
        };
        assertTrue(PolicyEngine.decide(fixture.index(), new DecisionRequest("tenant-1", front.id(), MONDAY_10, STRONG), DeviceState.UNKNOWN,
                noUsesPlease).permit());
    }

    // Sign-in strength (moved from the old DeciderTest, now through a tier).

    @Test
    void aDoorThatAsksForMoreThanTheSignInHadTurnsThePermitIntoAStepUp() {
        Assurance needs = new Assurance("aal2", Duration.ofMinutes(15));
        Door vault = fixture.door(home, "Vault", fixture.tier("Sensitive", needs, null, null, null, null));
        fixture.grant("vault").forSubject("tenant-1").on(vault).add();
        Instant now = MONDAY_10;

        Decision fresh = decide("tenant-1", vault, now, new SignIn("aal2", now.minusSeconds(60)), DeviceState.UNKNOWN);
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED), fresh.reasons());
        assertEquals(List.of(), fresh.obligations());

        Decision onlyPassword = decide("tenant-1", vault, now, new SignIn("aal1", now.minusSeconds(60)), DeviceState.UNKNOWN);
        assertTrue(onlyPassword.permit(), "a permit with an obligation");
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED, Reason.REASON_STEP_UP_REQUIRED), onlyPassword.reasons());
        assertEquals(List.of(new StepUp(needs)), onlyPassword.obligations());

        Decision stale = decide("tenant-1", vault, now, new SignIn("phr", now.minus(Duration.ofMinutes(15)).minusSeconds(1)), DeviceState.UNKNOWN);
        assertEquals(List.of(new StepUp(needs)), stale.obligations());

        Decision exactlyAtTheLimit = decide("tenant-1", vault, now, new SignIn("aal2", now.minus(Duration.ofMinutes(15))), DeviceState.UNKNOWN);
        assertEquals(List.of(), exactlyAtTheLimit.obligations());

        assertEquals(List.of(new StepUp(needs)), decide("tenant-1", vault, now, SignIn.UNKNOWN, DeviceState.UNKNOWN).obligations(),
                "an unknown sign-in satisfies nothing");
        assertEquals(List.of(new StepUp(needs)), decide("tenant-1", vault, now, new SignIn("AAL2", now), DeviceState.UNKNOWN).obligations(),
                "an unknown acr value");
        assertEquals(List.of(new StepUp(needs)), decide("tenant-1", vault, now, new SignIn("aal2", now.plusSeconds(61)), DeviceState.UNKNOWN)
                .obligations(), "a sign-in dated more than 60 s in the future is wrong, not recent");
        assertEquals(List.of(), decide("tenant-1", vault, now, new SignIn("aal2", now.plusSeconds(60)), DeviceState.UNKNOWN).obligations(),
                "60 s of clock skew are tolerated");
    }

    @Test
    void aStepUpIsNeverOfferedWhereNoGrantWouldPermit() {
        Door vault = fixture.door(home, "Vault", fixture.tier("Sensitive", new Assurance("aal2", null), null, null, null, null));
        fixture.grant("vault weekends").forSubject("tenant-1").on(vault).schedule("SAT 10:00-11:00").add();
        Decision decision = decide("tenant-1", vault, MONDAY_10, new SignIn("aal1", MONDAY_10), DeviceState.UNKNOWN);
        assertFalse(decision.permit());
        assertEquals(List.of(Reason.REASON_OUTSIDE_SCHEDULE), decision.reasons());
        assertEquals(List.of(), decision.obligations());
    }

    @Test
    void outsideUsualHoursTheStrongerSignInIsAskedFor() {
        Assurance daytime = new Assurance("aal1", null);
        Assurance nighttime = new Assurance("aal2", Duration.ofMinutes(5));
        Door plant = fixture.door(home, "Plant room", fixture.tier("Plant", daytime, null, null, "MON-FRI 07:00-19:00", nighttime));
        fixture.grant("plant").forSubject("fixer-1").on(plant).add();
        Instant night = local(BERLIN, "2026-11-23T22:14");
        SignIn password = new SignIn("aal1", night.minusSeconds(30));

        Decision day = decide("fixer-1", plant, MONDAY_10, new SignIn("aal1", MONDAY_10.minusSeconds(30)), DeviceState.UNKNOWN);
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED), day.reasons());

        Decision unusual = decide("fixer-1", plant, night, password, DeviceState.UNKNOWN);
        assertTrue(unusual.permit());
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED, Reason.REASON_UNUSUAL_HOURS), unusual.reasons(),
                "the tier's own assurance is met: it is the hour that asks for the step-up");
        assertEquals(List.of(new StepUp(new Assurance("aal2", Duration.ofMinutes(5)))), unusual.obligations());
        assertTrue(unusual.explanation().contains("local 22:14 MON 2026-11-23 Europe/Berlin outside usual hours MON-FRI 07:00-19:00"),
                unusual.explanation());

        Decision strongAtNight = decide("fixer-1", plant, night, new SignIn("aal2", night.minusSeconds(30)), DeviceState.UNKNOWN);
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED), strongAtNight.reasons());

        Decision none = decide("fixer-1", plant, night, SignIn.UNKNOWN, DeviceState.UNKNOWN);
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED, Reason.REASON_STEP_UP_REQUIRED, Reason.REASON_UNUSUAL_HOURS), none.reasons());
        assertEquals(List.of(new StepUp(nighttime)), none.obligations(), "one step-up to the stronger of both");
    }

    @Test
    void theStrongerOfTwoRequirementsTakesTheHigherAcrAndTheShorterAge() {
        assertEquals(new Assurance("phr", Duration.ofMinutes(5)),
                PolicyEngine.stronger(new Assurance("phr", Duration.ofMinutes(30)), new Assurance("aal2", Duration.ofMinutes(5))));
        assertEquals(new Assurance("aal2", Duration.ofMinutes(30)), PolicyEngine.stronger(new Assurance(null, Duration.ofMinutes(30)),
                new Assurance("aal2", null)));
        assertEquals(Assurance.NONE, PolicyEngine.stronger(Assurance.NONE, null));
    }

    @Test
    void aLockFactorAndASecondApproverComeAsObligations() {
        Tier vaultTier = fixture.tier("Vault", Assurance.NONE, "biometric_liveness", Role.PROPERTY_MANAGER, null, null);
        Door vault = fixture.door(home, "Vault", vaultTier);
        fixture.grant("vault").forSubject("tenant-1").on(vault).add();
        Decision decision = decide("tenant-1", vault);
        assertTrue(decision.permit());
        assertEquals(List.of(Reason.REASON_GRANT_MATCHED, Reason.REASON_LOCK_FACTOR_REQUIRED, Reason.REASON_SECOND_APPROVER_REQUIRED),
                decision.reasons());
        assertEquals(List.of(new LockFactor("biometric_liveness"), new SecondApprover(Role.PROPERTY_MANAGER)), decision.obligations());
    }

    @Test
    void aLockdownDeniesEveryoneButTheEmergencyRole() {
        fixture.lockDown(home);
        fixture.grant("tenant").forSubject("tenant-1").on(front).add();
        fixture.grant("responders").forRole(Role.EMERGENCY).on(front).add();
        fixture.role("responder-org", Role.EMERGENCY, null);
        fixture.role("responder-home", Role.EMERGENCY, home);
        fixture.role("responder-office", Role.EMERGENCY, office);
        counters.permits = 1_000; // far beyond the rate limit: an emergency opening skips it

        Decision tenant = decide("tenant-1", front);
        assertFalse(tenant.permit());
        assertEquals(List.of(Reason.REASON_LOCKDOWN), tenant.reasons());

        for (String responder : List.of("responder-org", "responder-home")) {
            Decision decision = decide(responder, front);
            assertTrue(decision.permit(), decision.explanation());
            assertEquals(List.of(Reason.REASON_GRANT_MATCHED, Reason.REASON_EMERGENCY_OVERRIDE), decision.reasons());
            assertEquals(List.of(new Notify("lockdown")), decision.obligations());
        }
        assertEquals(List.of(Reason.REASON_LOCKDOWN), decide("responder-office", front).reasons(), "emergency role in another property");
        assertEquals(List.of(Reason.REASON_NO_GRANT), decide("responder-org", cellar).reasons(), "the emergency role still needs a grant");
    }

    @Test
    void otherPropertiesAreNotAffectedByALockdown() {
        fixture.lockDown(home);
        fixture.grant("office").forSubject("tenant-1").on(lobby).add();
        assertTrue(decide("tenant-1", lobby).permit());
    }

    @Test
    void deviceGatesCloseOnlyOnWhatIsKnown() {
        fixture.grant("front").forSubject("tenant-1").on(front).add();
        Instant at = MONDAY_10;
        DeviceState tampered = new DeviceState(at.minusSeconds(3600), null, true, at.minusSeconds(10));
        DeviceState lockedOut = new DeviceState(null, at.plusSeconds(1), true, at);
        DeviceState lockoutOver = new DeviceState(null, at, true, at);
        DeviceState offline = new DeviceState(null, null, false, at.minusSeconds(300));
        DeviceState online = new DeviceState(null, null, true, at.minusSeconds(300));

        assertEquals(List.of(Reason.REASON_DEVICE_TAMPERED), decide("tenant-1", front, at, STRONG, tampered).reasons());
        assertEquals(List.of(Reason.REASON_DEVICE_LOCKED_OUT), decide("tenant-1", front, at, STRONG, lockedOut).reasons());
        assertTrue(decide("tenant-1", front, at, STRONG, lockoutOver).permit(), "a lockout ending now is over");
        assertEquals(List.of(Reason.REASON_DEVICE_OFFLINE), decide("tenant-1", front, at, STRONG, offline).reasons());
        assertTrue(decide("tenant-1", front, at, STRONG, online).permit());
        assertTrue(decide("tenant-1", front, at, STRONG, DeviceState.UNKNOWN).permit(), "unknown state opens no gate");
    }

    @Test
    void deviceStateIsNotRevealedToSomeoneWithoutAccess() {
        fixture.grant("front").forSubject("tenant-1").on(front).add();
        DeviceState tampered = new DeviceState(MONDAY_10.minusSeconds(60), null, false, null);
        Decision stranger = decide("stranger", front, MONDAY_10, STRONG, tampered);
        assertEquals(List.of(Reason.REASON_NO_GRANT), stranger.reasons());
        assertFalse(stranger.explanation().contains("tamper"), stranger.explanation());
    }

    @Test
    void theRateLimitCountsPermitsInItsWindow() {
        fixture.rateLimit = new RateLimit(5, Duration.ofMinutes(10));
        fixture.grant("front").forSubject("tenant-1").on(front).add();
        counters.permits = 4;
        assertTrue(decide("tenant-1", front).permit());
        assertEquals(Duration.ofMinutes(10), counters.askedWindow);
        counters.permits = 5;
        Decision limited = decide("tenant-1", front);
        assertFalse(limited.permit());
        assertEquals(List.of(Reason.REASON_RATE_LIMITED), limited.reasons());
    }

    @Test
    void anythingUnexpectedFailsClosed() {
        fixture.grant("front").forSubject("tenant-1").on(front).add();
        fixture.grant("limited").forSubject("tenant-2").on(front).maxUses(3).add();
        Usage broken = new Usage() {
            @Override
            public int usesOf(UUID grantId) {
                throw new IllegalStateException("counter store unreachable");
            }

            @Override
            public int permitsOf(String subjectId, Instant at, Duration window) {
                throw new IllegalStateException("counter store unreachable");
            }
        };
        DecisionRequest request = new DecisionRequest("tenant-1", front.id(), MONDAY_10, STRONG);
        assertUnavailable(PolicyEngine.decideSafely(fixture.index(), request, DeviceState.UNKNOWN, broken));
        assertUnavailable(PolicyEngine.decideSafely(fixture.index(), new DecisionRequest("tenant-2", front.id(), MONDAY_10, STRONG),
                DeviceState.UNKNOWN, broken));
        assertUnavailable(PolicyEngine.decideSafely(null, request, DeviceState.UNKNOWN, Usage.NONE));
        assertUnavailable(PolicyEngine.decideSafely(fixture.index(), request, null, Usage.NONE));
        assertUnavailable(PolicyEngine.decideSafely(fixture.index(), request, DeviceState.UNKNOWN, null));
        assertThrows(IllegalStateException.class, () -> PolicyEngine.decide(fixture.index(), request, DeviceState.UNKNOWN, broken),
                "decide itself throws: decideSafely is what turns it into a deny");
    }

    @Test
    void inconsistentDataFailsClosed() {
        Door orphan = new Door(UUID.randomUUID(), UUID.randomUUID(), null, null, "Orphan", null);
        Door badTier = new Door(UUID.randomUUID(), home.id(), null, null, "Bad tier", UUID.randomUUID());
        fixture.doors.put(orphan.id(), orphan);
        fixture.doors.put(badTier.id(), badTier);
        fixture.grant("orphan").forSubject("tenant-1").on(orphan).add();
        fixture.grant("bad tier").forSubject("tenant-1").on(badTier).add();
        assertUnavailable(decide("tenant-1", orphan));
        assertUnavailable(decide("tenant-1", badTier));
    }

    @Test
    void aMalformedRequestIsDenied() {
        Decision decision = PolicyEngine.decideSafely(fixture.index(), new DecisionRequest(" ", front.id(), MONDAY_10, STRONG),
                DeviceState.UNKNOWN, Usage.NONE);
        assertFalse(decision.permit());
        assertEquals(List.of(Reason.REASON_INVALID_REQUEST), decision.reasons());
        assertEquals(List.of(Reason.REASON_INVALID_REQUEST), PolicyEngine.decideSafely(fixture.index(),
                new DecisionRequest("tenant-1", front.id(), null, STRONG), DeviceState.UNKNOWN, Usage.NONE).reasons());
    }

    static void assertUnavailable(Decision decision) {
        assertFalse(decision.permit());
        assertEquals(List.of(Reason.REASON_POLICY_UNAVAILABLE), decision.reasons());
        assertNull(decision.grantId());
        assertEquals(List.of(), decision.obligations());
    }

    @Test
    void theTraceListsEveryRuleLookedAtInOrder() {
        Tier vaultTier = fixture.tier("Vault", new Assurance("aal2", null), null, null, null, null);
        Door vault = fixture.door(home, "Vault", vaultTier);
        Grant weekdays = fixture.grant("weekdays").forSubject("tenant-1").on(vault).schedule("MON-FRI 08:00-18:00").add();
        Grant weekend = fixture.grant("weekend").forSubject("tenant-1").on(vault).schedule("SAT,SUN 10:00-14:00").add();
        Instant tuesdayNight = local(BERLIN, "2026-11-24T22:14");
        Instant tuesdayNoon = local(BERLIN, "2026-11-24T12:00");

        Decision denied = decide("tenant-1", vault, tuesdayNight, STRONG, DeviceState.UNKNOWN);
        assertEquals(List.of("door", "lockdown", "grant " + weekdays.id(), "grant " + weekend.id()), rules(denied));
        assertEquals(new RuleResult("grant " + weekdays.id(), false,
                "local 22:14 TUE 2026-11-24 Europe/Berlin outside MON-FRI 08:00-18:00"), denied.trace().get(2));
        assertTrue(denied.explanation().contains("outside SAT-SUN 10:00-14:00"), denied.explanation());

        Decision stepUp = decide("tenant-1", vault, tuesdayNoon, new SignIn("aal1", tuesdayNoon), DeviceState.UNKNOWN);
        assertEquals(List.of("door", "lockdown", "grant " + weekdays.id(), "grant " + weekend.id(), "device", "rate limit", "tier Vault"),
                rules(stepUp));
        assertEquals(List.of(true, true, true, false, true, true, false), stepUp.trace().stream().map(RuleResult::passed).toList());
        assertTrue(stepUp.trace().get(6).detail().contains("needs acr aal2, the sign-in has aal1"), stepUp.explanation());
    }

    @Test
    void explainEvaluatesTheGrantsEvenWhenALockdownDeniesFirst() {
        fixture.lockDown(home);
        Grant grant = fixture.grant("front").forSubject("tenant-1").on(front).add();
        DecisionRequest request = new DecisionRequest("tenant-1", front.id(), MONDAY_10, STRONG);

        Decision decided = PolicyEngine.decideSafely(fixture.index(), request, DeviceState.UNKNOWN, Usage.NONE);
        Decision explained = PolicyEngine.explain(fixture.index(), request, DeviceState.UNKNOWN, Usage.NONE);

        assertEquals(List.of("door", "lockdown"), rules(decided));
        assertEquals(List.of("door", "lockdown", "grant " + grant.id()), rules(explained));
        assertEquals(decided.reasons(), explained.reasons());
        assertFalse(explained.permit());
        assertTrue(explained.explanation().contains("fire alarm"), explained.explanation());
    }

    @Test
    void theIndexFindsExactlyTheGrantsABruteForceScanFinds() {
        java.util.Random random = new java.util.Random(42);
        List<Door> doors = List.of(front, cellar, lobby, fixture.door(office, "Roof"), fixture.door(home, "Garage"));
        List<Area> areas = List.of(fixture.area(home, "A", front, cellar), fixture.area(office, "B", lobby), fixture.area(home, "C", cellar));
        List<Group> groups = List.of(fixture.group("G1", "s1", "s2"), fixture.group("G2", "s2", "s3"));
        List<String> subjects = List.of("s1", "s2", "s3", "s4", "s5");
        List<Property> properties = List.of(home, office);
        for (String subject : subjects) {
            if (random.nextBoolean()) {
                fixture.role(subject, Role.values()[random.nextInt(3)], random.nextBoolean() ? null : properties.get(random.nextInt(2)));
            }
        }
        for (int i = 0; i < 300; i++) {
            Fixture.GrantBuilder grant = fixture.grant("g" + i);
            switch (random.nextInt(3)) {
                case 0 -> grant.forSubject(subjects.get(random.nextInt(subjects.size())));
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
        PolicyIndex index = fixture.index();
        for (String subject : subjects) {
            for (Door door : doors) {
                List<UUID> expected = fixture.grants.stream().filter(g -> covers(g, subject, door)).map(Grant::id).sorted().toList();
                List<UUID> actual = index.candidates(subject, door.id()).stream().map(Grant::id).sorted().toList();
                assertEquals(expected, actual, subject + " at " + door.name());
            }
        }
    }

    private boolean covers(Grant grant, String subject, Door door) {
        boolean target = grant.target() instanceof PolicySnapshot.Target.DoorOf d ? d.doorId().equals(door.id())
                : fixture.areas.get(((PolicySnapshot.Target.AreaOf) grant.target()).areaId()).doorIds().contains(door.id());
        boolean grantee;
        if (grant.grantee() instanceof PolicySnapshot.Grantee.Subject s) {
            grantee = s.subjectId().equals(subject);
        } else if (grant.grantee() instanceof PolicySnapshot.Grantee.GroupOf g) {
            grantee = fixture.groups.get(g.groupId()).members().contains(subject);
        } else {
            Role role = ((PolicySnapshot.Grantee.RoleOf) grant.grantee()).role();
            grantee = fixture.roles.stream().anyMatch(r -> r.subjectId().equals(subject) && r.role() == role
                    && (r.propertyId() == null || r.propertyId().equals(door.propertyId())));
        }
        return target && grantee;
    }

    @Test
    void theSnapshotIsReadAsOfItsVersion() {
        fixture.version = 42;
        fixture.grant("front").forSubject("tenant-1").on(front).add();
        assertEquals(42, decide("tenant-1", front).policyVersion());
        assertEquals(42, decide("tenant-1", cellar).policyVersion(), "denials carry it too");
    }
}
