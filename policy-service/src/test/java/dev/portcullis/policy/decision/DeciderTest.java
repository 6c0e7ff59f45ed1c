package dev.portcullis.policy.decision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.policy.door.Assurance;
import dev.portcullis.policy.grant.Grant;
import dev.portcullis.policy.grant.WeeklySchedule;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeciderTest {

    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final UUID DOOR = UUID.randomUUID();

    private static Grant grant(String schedule) {
        return new Grant(UUID.randomUUID(), "tenant-1", DOOR, null, null, WeeklySchedule.parse(schedule));
    }

    private static Instant local(String dateTime) {
        return LocalDateTime.parse(dateTime).atZone(NEW_YORK).toInstant();
    }

    @Test
    void permitsInsideTheWeeklyWindowInThePropertysZone() {
        Grant grant = grant("MON-FRI 08:00-18:00");
        // 2026-11-23 is a Monday.
        Verdict verdict = Decider.decide(NEW_YORK, List.of(grant), local("2026-11-23T08:00"));
        assertTrue(verdict.permit());
        assertEquals(Reason.REASON_GRANT_MATCHED, verdict.reason());
        assertEquals(grant.id(), verdict.grantId());
    }

    @Test
    void deniesOutsideTheWindowWithItsReason() {
        Grant grant = grant("MON-FRI 08:00-18:00");
        Verdict atClose = Decider.decide(NEW_YORK, List.of(grant), local("2026-11-23T18:00"));
        Verdict saturday = Decider.decide(NEW_YORK, List.of(grant), local("2026-11-28T12:00"));
        assertFalse(atClose.permit());
        assertEquals(Reason.REASON_OUTSIDE_SCHEDULE, atClose.reason());
        assertFalse(saturday.permit());
        assertEquals(Reason.REASON_OUTSIDE_SCHEDULE, saturday.reason());
    }

    @Test
    void theWindowIsLocalTimeNotUtc() {
        Grant grant = grant("MON 08:00-09:00");
        // 08:30 UTC on that Monday is 03:30 in New York: outside.
        Verdict verdict = Decider.decide(NEW_YORK, List.of(grant), Instant.parse("2026-11-23T08:30:00Z"));
        assertFalse(verdict.permit());
        // 13:30 UTC is 08:30 in New York: inside.
        assertTrue(Decider.decide(NEW_YORK, List.of(grant), Instant.parse("2026-11-23T13:30:00Z")).permit());
    }

    @Test
    void followsDaylightSavingTime() {
        Grant grant = grant("SUN 08:00-09:00");
        // US DST ends 2026-11-01: 08:30 local is 13:30Z the day after, 12:30Z before.
        assertTrue(Decider.decide(NEW_YORK, List.of(grant), Instant.parse("2026-11-01T13:30:00Z")).permit());
        assertTrue(Decider.decide(NEW_YORK, List.of(grant), Instant.parse("2026-10-25T12:30:00Z")).permit());
        assertFalse(Decider.decide(NEW_YORK, List.of(grant), Instant.parse("2026-11-01T12:30:00Z")).permit());
    }

    @Test
    void windowsCrossingMidnightContinueOnTheNextDay() {
        Grant grant = grant("FRI 22:00-02:00");
        assertTrue(Decider.decide(NEW_YORK, List.of(grant), local("2026-11-27T23:30")).permit());
        assertTrue(Decider.decide(NEW_YORK, List.of(grant), local("2026-11-28T01:59")).permit());
        assertFalse(Decider.decide(NEW_YORK, List.of(grant), local("2026-11-28T02:00")).permit());
    }

    @Test
    void noGrantMeansDeny() {
        Verdict verdict = Decider.decide(NEW_YORK, List.of(), local("2026-11-23T12:00"));
        assertFalse(verdict.permit());
        assertEquals(Reason.REASON_NO_GRANT, verdict.reason());
    }

    @Test
    void grantsOutsideTheirValidityPeriodDoNotCount() {
        Instant now = local("2026-11-23T12:00");
        Grant expired = new Grant(UUID.randomUUID(), "tenant-1", DOOR, null, now, WeeklySchedule.always());
        Grant future = new Grant(UUID.randomUUID(), "tenant-1", DOOR, now.plusSeconds(1), null, WeeklySchedule.always());
        Verdict verdict = Decider.decide(NEW_YORK, List.of(expired, future), now);
        assertFalse(verdict.permit());
        assertEquals(Reason.REASON_GRANT_NOT_VALID_NOW, verdict.reason());
    }

    @Test
    void schedulesRejectNonsense() {
        assertThrows(IllegalArgumentException.class, () -> WeeklySchedule.parse(""));
        assertThrows(IllegalArgumentException.class, () -> WeeklySchedule.parse("XYZ 08:00-09:00"));
        assertThrows(IllegalArgumentException.class, () -> WeeklySchedule.parse("MON 08:00-08:00"));
        assertThrows(IllegalArgumentException.class, () -> WeeklySchedule.parse("MON 25:00-26:00"));
        assertThrows(IllegalArgumentException.class, () -> WeeklySchedule.parse("MON 8-9-10"));
        assertEquals(7, WeeklySchedule.parse("always").windows().size());
        assertEquals(2, WeeklySchedule.parse("SAT,SUN 10:00-14:00").windows().size());
    }

    @Test
    void aDoorThatAsksForMoreThanTheSignInHadTurnsThePermitIntoAStepUp() {
        Grant grant = grant("always");
        Instant now = local("2026-11-23T08:00");
        Assurance door = new Assurance("aal2", Duration.ofMinutes(15));

        Verdict fresh = Decider.decide(NEW_YORK, List.of(grant), now, door, new Decider.SignIn("aal2", now.minusSeconds(60)));
        assertTrue(fresh.permit());
        assertEquals(Reason.REASON_GRANT_MATCHED, fresh.reason());
        assertNull(fresh.stepUp());

        Verdict onlyPassword = Decider.decide(NEW_YORK, List.of(grant), now, door, new Decider.SignIn("aal1", now.minusSeconds(60)));
        assertEquals(Reason.REASON_STEP_UP_REQUIRED, onlyPassword.reason());
        assertEquals(door, onlyPassword.stepUp());

        Verdict stale = Decider.decide(NEW_YORK, List.of(grant), now, door,
                new Decider.SignIn("phr", now.minus(Duration.ofMinutes(15)).minusSeconds(1)));
        assertEquals(Reason.REASON_STEP_UP_REQUIRED, stale.reason());

        Verdict exactlyAtTheLimit = Decider.decide(NEW_YORK, List.of(grant), now, door, new Decider.SignIn("aal2", now.minus(Duration.ofMinutes(15))));
        assertNull(exactlyAtTheLimit.stepUp());

        assertEquals(Reason.REASON_STEP_UP_REQUIRED,
                Decider.decide(NEW_YORK, List.of(grant), now, door, Decider.SignIn.UNKNOWN).reason(), "unknown sign-in satisfies nothing");
        assertEquals(Reason.REASON_STEP_UP_REQUIRED,
                Decider.decide(NEW_YORK, List.of(grant), now, door, new Decider.SignIn("AAL2", now)).reason(), "unknown acr value");
        assertEquals(Reason.REASON_STEP_UP_REQUIRED,
                Decider.decide(NEW_YORK, List.of(grant), now, door, new Decider.SignIn("aal2", now.plus(Duration.ofMinutes(5)))).reason(),
                "a sign-in dated in the future is not recent, it is wrong");
    }

    @Test
    void aStepUpIsNeverOfferedWhereNoGrantWouldPermit() {
        Instant now = local("2026-11-23T08:00");
        Verdict verdict = Decider.decide(NEW_YORK, List.of(grant("SAT 10:00-11:00")), now, new Assurance("aal2", null),
                new Decider.SignIn("aal1", now));
        assertFalse(verdict.permit());
        assertEquals(Reason.REASON_OUTSIDE_SCHEDULE, verdict.reason());
        assertNull(verdict.stepUp());
    }
}
