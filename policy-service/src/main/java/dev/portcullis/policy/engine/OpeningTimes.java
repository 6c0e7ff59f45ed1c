package dev.portcullis.policy.engine;

import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.grant.WeeklySchedule;
import dev.portcullis.policy.grant.WeeklyWindow;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Turns weekly windows of local wall-clock time into the concrete instants they cover, exactly as a decision reads
 * them: an instant is inside when its local time (in the property's zone) falls in a window. So a window lying in
 * a DST gap covers nothing, a window reaching into a gap ends at the jump, and a window over a repeated hour covers
 * both occurrences of it.
 */
public final class OpeningTimes {

    /** The longest span a review may cover. */
    public static final Duration MAX_SPAN = Duration.ofDays(400);

    private OpeningTimes() {
    }

    /**
     * When the grant opens doors of the property within [from, to): its validity ∩ its weekly windows, minus the
     * days it is suspended, minus the property's holidays when it closes on them. Use limits are not looked at.
     */
    public static List<Interval> of(Grant grant, Property property, Instant from, Instant to) {
        Instant start = grant.validFrom() != null && grant.validFrom().isAfter(from) ? grant.validFrom() : from;
        Instant end = grant.validUntil() != null && grant.validUntil().isBefore(to) ? grant.validUntil() : to;
        if (!start.isBefore(end)) {
            return List.of();
        }
        return of(grant.schedule(), property.zone(), start, end, date -> GrantDays.closure(grant, property, date) == null);
    }

    /** The instants within [from, to) whose local time in {@code zone} falls in the schedule on a day {@code open} accepts. */
    public static List<Interval> of(WeeklySchedule schedule, ZoneId zone, Instant from, Instant to, Predicate<LocalDate> open) {
        checkSpan(from, to);
        List<Interval> out = new ArrayList<>();
        LocalDate last = to.atZone(zone).toLocalDate().plusDays(1);
        for (LocalDate date = from.atZone(zone).toLocalDate().minusDays(1); !date.isAfter(last); date = date.plusDays(1)) {
            List<WeeklyWindow> windows = schedule.windowsOn(date.getDayOfWeek());
            if (windows.isEmpty() || !open.test(date)) {
                continue;
            }
            for (WeeklyWindow window : windows) {
                addLocalSpan(window.startOn(date), window.endOn(date), zone, from, to, out);
            }
        }
        return Interval.union(out);
    }

    static void checkSpan(Instant from, Instant to) {
        if (from == null || to == null || !from.isBefore(to)) {
            throw new IllegalArgumentException("the review period must end after it starts");
        }
        if (Duration.between(from, to).compareTo(MAX_SPAN) > 0) {
            throw new IllegalArgumentException("the review period is longer than " + MAX_SPAN.toDays() + " days");
        }
    }

    /**
     * Adds the instants whose local time lies in [localStart, localEnd), clipped to [from, to). Walks the zone's offset
     * segments: within one, local time is instant + offset, so the span is [localStart - offset, localEnd - offset).
     */
    static void addLocalSpan(LocalDateTime localStart, LocalDateTime localEnd, ZoneId zone, Instant from, Instant to, List<Interval> out) {
        ZoneRules rules = zone.getRules();
        Instant lowest = localStart.toInstant(ZoneOffset.MAX);
        Instant highest = localEnd.toInstant(ZoneOffset.MIN);
        Instant segmentStart = lowest;
        while (segmentStart.isBefore(highest)) {
            ZoneOffset offset = rules.getOffset(segmentStart);
            ZoneOffsetTransition next = rules.nextTransition(segmentStart);
            Instant segmentEnd = next == null || next.getInstant().isAfter(highest) ? highest : next.getInstant();
            Instant a = latest(segmentStart, localStart.toInstant(offset), from);
            Instant b = earliest(segmentEnd, localEnd.toInstant(offset), to);
            if (a.isBefore(b)) {
                out.add(new Interval(a, b));
            }
            segmentStart = segmentEnd;
        }
    }

    private static Instant latest(Instant a, Instant b, Instant c) {
        Instant max = a.isAfter(b) ? a : b;
        return max.isAfter(c) ? max : c;
    }

    private static Instant earliest(Instant a, Instant b, Instant c) {
        Instant min = a.isBefore(b) ? a : b;
        return min.isBefore(c) ? min : c;
    }
}
