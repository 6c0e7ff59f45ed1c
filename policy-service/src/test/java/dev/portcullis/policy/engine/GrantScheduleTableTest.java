package dev.portcullis.policy.engine;

import static dev.portcullis.policy.engine.Fixture.BERLIN;
import static dev.portcullis.policy.engine.Fixture.NEW_YORK;
import static dev.portcullis.policy.engine.Fixture.local;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.policy.engine.DecisionRequest.SignIn;
import dev.portcullis.policy.engine.PolicySnapshot.Door;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The grant checks of a decision over a table: weekly windows in property-local time, across midnight and across
 * the DST changes of Europe/Berlin and America/New_York, validity edges, holidays and suspensions. Each row is one
 * grant for {@code tenant-1} on one door and one instant; the decision's reasons must be exactly the expected ones.
 */
class GrantScheduleTableTest {

    static final Instant FROM = Instant.parse("2026-11-23T09:00:00Z");
    static final Instant UNTIL = Instant.parse("2026-11-30T09:00:00Z");

    static Arguments row(String name, ZoneId zone, UnaryOperator<Fixture.GrantBuilder> grant, Instant at, Reason expected) {
        return Arguments.of(name, zone, grant, at, expected);
    }

    static Stream<Arguments> rows() {
        Reason permit = Reason.REASON_GRANT_MATCHED;
        Reason outside = Reason.REASON_OUTSIDE_SCHEDULE;
        Reason invalid = Reason.REASON_GRANT_NOT_VALID_NOW;
        return Stream.of(
                // weekly windows, local time (2026-11-23 is a Monday)
                row("window opens at its start", BERLIN, g -> g.schedule("MON-FRI 08:00-18:00"), local(BERLIN, "2026-11-23T08:00"), permit),
                row("one second before the end", BERLIN, g -> g.schedule("MON-FRI 08:00-18:00"), local(BERLIN, "2026-11-23T17:59:59"), permit),
                row("the end is exclusive", BERLIN, g -> g.schedule("MON-FRI 08:00-18:00"), local(BERLIN, "2026-11-23T18:00"), outside),
                row("Saturday is not in MON-FRI", BERLIN, g -> g.schedule("MON-FRI 08:00-18:00"), local(BERLIN, "2026-11-28T12:00"), outside),
                row("local time, not UTC (08:30Z is 03:30 in New York)", NEW_YORK, g -> g.schedule("MON 08:00-09:00"),
                        Instant.parse("2026-11-23T08:30:00Z"), outside),
                row("13:30Z is 08:30 in New York", NEW_YORK, g -> g.schedule("MON 08:00-09:00"), Instant.parse("2026-11-23T13:30:00Z"), permit),
                // across midnight
                row("across midnight: Friday night", BERLIN, g -> g.schedule("FRI 22:00-02:00"), local(BERLIN, "2026-11-27T23:30"), permit),
                row("across midnight: Saturday early", BERLIN, g -> g.schedule("FRI 22:00-02:00"), local(BERLIN, "2026-11-28T01:59"), permit),
                row("across midnight: ends at 02:00", BERLIN, g -> g.schedule("FRI 22:00-02:00"), local(BERLIN, "2026-11-28T02:00"), outside),
                row("across midnight: not before 22:00", BERLIN, g -> g.schedule("FRI 22:00-02:00"), local(BERLIN, "2026-11-27T21:59"), outside),
                row("across midnight: not Thursday night", BERLIN, g -> g.schedule("FRI 22:00-02:00"), local(BERLIN, "2026-11-27T01:00"), outside),
                // Berlin spring forward, Sunday 2026-03-29: 02:00 CET becomes 03:00 CEST at 01:00Z
                row("Berlin spring: 01:59:59 CET before the gap", BERLIN, g -> g.schedule("SUN 01:00-02:00"),
                        Instant.parse("2026-03-29T00:59:59Z"), permit),
                row("Berlin spring: the gap hour 02:00-03:00 never happens", BERLIN, g -> g.schedule("SUN 02:00-03:00"),
                        Instant.parse("2026-03-29T01:00:00Z"), outside),
                row("Berlin spring: 03:00 CEST right after the gap", BERLIN, g -> g.schedule("SUN 03:00-04:00"),
                        Instant.parse("2026-03-29T01:00:00Z"), permit),
                row("Berlin spring: 08:30 CEST is 06:30Z", BERLIN, g -> g.schedule("SUN 08:00-09:00"), Instant.parse("2026-03-29T06:30:00Z"),
                        permit),
                row("Berlin spring: 07:30Z is 09:30 CEST", BERLIN, g -> g.schedule("SUN 08:00-09:00"), Instant.parse("2026-03-29T07:30:00Z"),
                        outside),
                row("Berlin spring: the Saturday before is still CET", BERLIN, g -> g.schedule("SAT 08:00-09:00"),
                        Instant.parse("2026-03-28T07:30:00Z"), permit),
                // Berlin fall back, Sunday 2026-10-25: 03:00 CEST becomes 02:00 CET at 01:00Z; 02:00-03:00 happens twice
                row("Berlin fall: 02:30 CEST (first time)", BERLIN, g -> g.schedule("SUN 02:00-03:00"), Instant.parse("2026-10-25T00:30:00Z"),
                        permit),
                row("Berlin fall: 02:30 CET (second time)", BERLIN, g -> g.schedule("SUN 02:00-03:00"), Instant.parse("2026-10-25T01:30:00Z"),
                        permit),
                row("Berlin fall: 03:00 CET after both", BERLIN, g -> g.schedule("SUN 02:00-03:00"), Instant.parse("2026-10-25T02:00:00Z"),
                        outside),
                row("Berlin fall: Saturday night across midnight in CEST", BERLIN, g -> g.schedule("SAT 23:00-01:00"),
                        Instant.parse("2026-10-24T22:30:00Z"), permit),
                // New York: fall back 2026-11-01 06:00Z, spring forward 2026-03-08 07:00Z
                row("New York fall: 08:30 EST is 13:30Z", NEW_YORK, g -> g.schedule("SUN 08:00-09:00"), Instant.parse("2026-11-01T13:30:00Z"),
                        permit),
                row("New York fall: 08:30 EDT a week earlier is 12:30Z", NEW_YORK, g -> g.schedule("SUN 08:00-09:00"),
                        Instant.parse("2026-10-25T12:30:00Z"), permit),
                row("New York fall: 12:30Z is 07:30 EST", NEW_YORK, g -> g.schedule("SUN 08:00-09:00"), Instant.parse("2026-11-01T12:30:00Z"),
                        outside),
                row("New York spring: 01:59 EST before the gap", NEW_YORK, g -> g.schedule("SUN 01:00-03:00"),
                        Instant.parse("2026-03-08T06:59:00Z"), permit),
                row("New York spring: 03:00 EDT right after the gap", NEW_YORK, g -> g.schedule("SUN 01:00-03:00"),
                        Instant.parse("2026-03-08T07:00:00Z"), outside),
                // validity [validFrom, validUntil)
                row("exactly validFrom permits", BERLIN, g -> g.validFrom(FROM), FROM, permit),
                row("just before validFrom", BERLIN, g -> g.validFrom(FROM), FROM.minusNanos(1), invalid),
                row("exactly validUntil denies", BERLIN, g -> g.validUntil(UNTIL), UNTIL, invalid),
                row("just before validUntil", BERLIN, g -> g.validUntil(UNTIL), UNTIL.minusNanos(1), permit),
                row("validity is checked before the schedule", BERLIN, g -> g.validUntil(UNTIL).schedule("SAT 08:00-09:00"),
                        local(BERLIN, "2026-12-01T12:00"), invalid),
                // holidays (the property's: 2026-12-25) by local date
                row("closed on holidays: Christmas Day", BERLIN, g -> g.closedOnHolidays(), local(BERLIN, "2026-12-25T12:00"),
                        Reason.REASON_HOLIDAY),
                row("closed on holidays: 00:30 local on the 25th is still the 24th in UTC", BERLIN, g -> g.closedOnHolidays(),
                        Instant.parse("2026-12-24T23:30:00Z"), Reason.REASON_HOLIDAY),
                row("closed on holidays: the day after", BERLIN, g -> g.closedOnHolidays(), local(BERLIN, "2026-12-26T00:00"), permit),
                row("open on holidays unless closed", BERLIN, g -> g, local(BERLIN, "2026-12-25T12:00"), permit),
                row("holiday is checked before the schedule", BERLIN, g -> g.closedOnHolidays().schedule("SAT 08:00-09:00"),
                        local(BERLIN, "2026-12-25T12:00"), Reason.REASON_HOLIDAY),
                // suspensions (local dates, inclusive)
                row("suspended: first day", BERLIN, g -> g.suspended("2026-12-01", "2026-12-03"), local(BERLIN, "2026-12-01T00:00"),
                        Reason.REASON_SUSPENDED),
                row("suspended: last day, late", BERLIN, g -> g.suspended("2026-12-01", "2026-12-03"), local(BERLIN, "2026-12-03T23:59"),
                        Reason.REASON_SUSPENDED),
                row("suspension over", BERLIN, g -> g.suspended("2026-12-01", "2026-12-03"), local(BERLIN, "2026-12-04T00:00"), permit),
                row("the day before the suspension", BERLIN, g -> g.suspended("2026-12-01", "2026-12-03"), local(BERLIN, "2026-11-30T23:59"),
                        permit));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void grantChecks(String name, ZoneId zone, UnaryOperator<Fixture.GrantBuilder> grant, Instant at, Reason expected) {
        Fixture fixture = new Fixture();
        Property home = fixture.property("Home", zone, LocalDate.parse("2026-12-25"));
        Door door = fixture.door(home, "Front door");
        grant.apply(fixture.grant("grant").forSubject("tenant-1").on(door)).add();

        Decision decision = PolicyEngine.decideSafely(fixture.index(), new DecisionRequest("tenant-1", door.id(), at, SignIn.UNKNOWN),
                DeviceState.UNKNOWN, Usage.NONE);

        assertEquals(List.of(expected), decision.reasons(), decision.explanation());
        assertEquals(expected == Reason.REASON_GRANT_MATCHED, decision.permit());
    }
}
