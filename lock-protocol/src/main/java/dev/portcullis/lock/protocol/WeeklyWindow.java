package dev.portcullis.lock.protocol;

import java.time.DayOfWeek;
import java.util.Objects;

/** A weekly window in a credential's time zone: a day, and minutes after local midnight [start, end). */
public record WeeklyWindow(DayOfWeek day, int startMinute, int endMinute) {

    public WeeklyWindow {
        Objects.requireNonNull(day, "day");
        if (startMinute < 0 || endMinute > 24 * 60 || startMinute >= endMinute) {
            throw new IllegalArgumentException("a window needs 0 <= start < end <= 1440 minutes");
        }
    }

    boolean contains(DayOfWeek localDay, int minuteOfDay) {
        return day == localDay && minuteOfDay >= startMinute && minuteOfDay < endMinute;
    }
}
