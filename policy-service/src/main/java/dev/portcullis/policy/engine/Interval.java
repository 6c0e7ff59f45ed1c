package dev.portcullis.policy.engine;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A half-open span of time [start, end) during which a door can be opened. */
public record Interval(Instant start, Instant end) {

    public Interval {
        if (start == null || end == null || !start.isBefore(end)) {
            throw new IllegalArgumentException("an interval must end after it starts: " + start + " to " + end);
        }
    }

    public boolean contains(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    /** Sorts and joins overlapping or touching intervals: the result is disjoint and ordered. */
    public static List<Interval> union(List<Interval> intervals) {
        if (intervals.size() < 2) {
            return List.copyOf(intervals);
        }
        List<Interval> sorted = new ArrayList<>(intervals);
        sorted.sort(Comparator.comparing(Interval::start));
        List<Interval> merged = new ArrayList<>(sorted.size());
        Interval current = sorted.get(0);
        for (int i = 1; i < sorted.size(); i++) {
            Interval next = sorted.get(i);
            if (!next.start().isAfter(current.end())) {
                current = next.end().isAfter(current.end()) ? new Interval(current.start(), next.end()) : current;
            } else {
                merged.add(current);
                current = next;
            }
        }
        merged.add(current);
        return List.copyOf(merged);
    }
}
