package dev.portcullis.policy.engine;

import static dev.portcullis.policy.engine.Fixture.BERLIN;
import static dev.portcullis.policy.engine.Fixture.NEW_YORK;
import static dev.portcullis.policy.engine.Fixture.local;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.policy.engine.DecisionRequest.SignIn;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.grant.WeeklySchedule;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Weekly windows turned into concrete instants, across DST changes, and always in agreement with a decision. */
class OpeningTimesTest {

    static Interval interval(String start, String end) {
        return new Interval(Instant.parse(start), Instant.parse(end));
    }

    static List<Interval> week(String schedule, ZoneId zone, String from, String to) {
        return OpeningTimes.of(WeeklySchedule.parse(schedule), zone, Instant.parse(from), Instant.parse(to), date -> true);
    }

    @Test
    void berlinSpringForwardShortensTheNightWindow() {
        // Sunday 2026-03-29: 01:00-04:00 local is 00:00Z-02:00Z (two hours); a week earlier it was three.
        assertEquals(List.of(interval("2026-03-22T00:00:00Z", "2026-03-22T03:00:00Z"), interval("2026-03-29T00:00:00Z", "2026-03-29T02:00:00Z")),
                week("SUN 01:00-04:00", BERLIN, "2026-03-21T00:00:00Z", "2026-03-30T00:00:00Z"));
    }

    @Test
    void aWindowInsideTheSpringGapCoversNothingAndOneReachingIntoItEndsAtTheJump() {
        assertEquals(List.of(), week("SUN 02:00-03:00", BERLIN, "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"));
        assertEquals(List.of(interval("2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z")),
                week("SUN 02:30-03:30", BERLIN, "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"), "03:00-03:30 CEST");
        assertEquals(List.of(interval("2026-03-29T00:30:00Z", "2026-03-29T01:00:00Z")),
                week("SUN 01:30-02:30", BERLIN, "2026-03-29T00:00:00Z", "2026-03-30T00:00:00Z"), "01:30-02:00 CET, then the jump");
    }

    @Test
    void berlinFallBackCoversTheRepeatedHourTwice() {
        // Sunday 2026-10-25: 02:00-03:00 happens in CEST (00:00Z-01:00Z) and again in CET (01:00Z-02:00Z).
        assertEquals(List.of(interval("2026-10-25T00:00:00Z", "2026-10-25T02:00:00Z")),
                week("SUN 02:00-03:00", BERLIN, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"));
        assertEquals(List.of(interval("2026-10-25T00:00:00Z", "2026-10-25T00:30:00Z"), interval("2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z")),
                week("SUN 02:00-02:30", BERLIN, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"));
        assertEquals(List.of(interval("2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z")),
                week("SUN 01:00-04:00", BERLIN, "2026-10-24T00:00:00Z", "2026-10-26T00:00:00Z"), "four hours long");
    }

    @Test
    void newYorkChangesAtItsOwnTimes() {
        assertEquals(List.of(interval("2026-11-01T05:00:00Z", "2026-11-01T07:00:00Z")),
                week("SUN 01:00-02:00", NEW_YORK, "2026-10-31T00:00:00Z", "2026-11-02T00:00:00Z"), "01:00 EDT to 02:00 EST");
        assertEquals(List.of(interval("2026-03-08T06:00:00Z", "2026-03-08T07:00:00Z")),
                week("SUN 01:00-03:00", NEW_YORK, "2026-03-07T00:00:00Z", "2026-03-09T00:00:00Z"), "01:00-02:00 EST, then 03:00 EDT");
    }

    @Test
    void windowsAcrossMidnightJoinIntoOneInterval() {
        assertEquals(List.of(interval("2026-11-27T21:00:00Z", "2026-11-28T01:00:00Z")),
                week("FRI 22:00-02:00", BERLIN, "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z"));
    }

    @Test
    void intervalsAreClippedToThePeriodAndTheValidity() {
        Fixture fixture = new Fixture();
        Property home = fixture.property("Home", BERLIN, LocalDate.parse("2026-11-25"));
        Door door = fixture.door(home, "Front");
        Grant grant = fixture.grant("g").forSubject("s").on(door).schedule("MON-FRI 08:00-18:00").validFrom(local(BERLIN, "2026-11-23T12:00"))
                .validUntil(local(BERLIN, "2026-11-27T09:00")).closedOnHolidays().suspended("2026-11-24", "2026-11-24").add();
        assertEquals(List.of(new Interval(local(BERLIN, "2026-11-23T12:00"), local(BERLIN, "2026-11-23T18:00")),
                new Interval(local(BERLIN, "2026-11-26T08:00"), local(BERLIN, "2026-11-26T18:00")),
                new Interval(local(BERLIN, "2026-11-27T08:00"), local(BERLIN, "2026-11-27T09:00"))),
                OpeningTimes.of(grant, home, Instant.parse("2026-11-22T00:00:00Z"), Instant.parse("2026-11-30T00:00:00Z")),
                "Tuesday suspended, Wednesday a holiday, validity cuts Monday and Friday");
    }

    @Test
    void aPeriodMustBeSensible() {
        assertThrows(IllegalArgumentException.class, () -> week("always", BERLIN, "2026-11-23T00:00:00Z", "2026-11-23T00:00:00Z"));
        assertThrows(IllegalArgumentException.class, () -> week("always", BERLIN, "2026-01-01T00:00:00Z", "2027-06-01T00:00:00Z"));
    }

    /**
     * The intervals are exactly the instants at which a decision permits: sampled every 5 minutes and one second
     * either side of every interval edge, over DST weeks in Berlin and New York, with windows in and around the
     * changed hours, across midnight, holidays and suspensions.
     */
    @ParameterizedTest
    @CsvSource({
            "Europe/Berlin, 2026-03-25T00:00:00Z, SUN 01:30-03:30; SAT 23:00-02:30; MON-FRI 08:00-18:00",
            "Europe/Berlin, 2026-10-21T00:00:00Z, SUN 02:00-02:30; SAT 22:00-03:00; WED 00:00-24:00",
            "America/New_York, 2026-03-04T00:00:00Z, SUN 00:30-02:30; SAT 21:00-03:00",
            "America/New_York, 2026-10-28T00:00:00Z, SUN 01:00-01:45; SAT 23:30-01:30; MON-FRI 09:00-17:00"})
    void intervalsAgreeWithDecisions(String zone, String from, String schedule) {
        Fixture fixture = new Fixture();
        Instant start = Instant.parse(from);
        Instant end = start.plus(Duration.ofDays(7));
        Property property = fixture.property("P", ZoneId.of(zone), start.atZone(ZoneId.of(zone)).toLocalDate().plusDays(1));
        Door door = fixture.door(property, "D");
        fixture.grant("g1").forSubject("s").on(door).schedule(schedule).closedOnHolidays().suspended(
                start.atZone(ZoneId.of(zone)).toLocalDate().plusDays(2).toString(), start.atZone(ZoneId.of(zone)).toLocalDate().plusDays(2).toString())
                .add();
        PolicyIndex index = fixture.index();
        List<Interval> intervals = AccessReview.whoCanOpen(index, door.id(), start, end).orElseThrow().subjects().get(0).intervals();

        TreeSet<Instant> samples = new TreeSet<>();
        for (Instant t = start; t.isBefore(end); t = t.plus(Duration.ofMinutes(5))) {
            samples.add(t);
        }
        for (Interval interval : intervals) {
            for (Instant edge : List.of(interval.start(), interval.end())) {
                samples.add(edge.minusSeconds(1));
                samples.add(edge);
                samples.add(edge.plusSeconds(1));
            }
        }
        List<Instant> disagreements = new ArrayList<>();
        for (Instant t : samples.subSet(start, end)) {
            boolean permitted = PolicyEngine.decide(index, new DecisionRequest("s", door.id(), t, SignIn.UNKNOWN), DeviceState.UNKNOWN,
                    Usage.NONE).permit();
            boolean listed = intervals.stream().anyMatch(interval -> interval.contains(t));
            if (permitted != listed) {
                disagreements.add(t);
            }
        }
        assertEquals(List.of(), disagreements, "intervals " + intervals);
    }
}
