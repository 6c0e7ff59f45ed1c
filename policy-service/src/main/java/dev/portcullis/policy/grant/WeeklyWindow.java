package dev.portcullis.policy.grant;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;

/** A window of local wall-clock time on one day of the week: [startMinute, endMinute). */
public record WeeklyWindow(DayOfWeek day, int startMinute, int endMinute) {

    public WeeklyWindow {
        if (day == null) {
            throw new IllegalArgumentException("day is required");
        }
        if (startMinute < 0 || startMinute > 1439 || endMinute < 1 || endMinute > 1440 || endMinute <= startMinute) {
            throw new IllegalArgumentException("a window runs from 00:00 to 24:00 and must end after it starts");
        }
    }

    public static WeeklyWindow allDay(DayOfWeek day) {
        return new WeeklyWindow(day, 0, 1440);
    }

    /** True when the local wall-clock time falls inside this window. */
    public boolean contains(ZonedDateTime local) {
        if (local.getDayOfWeek() != day) {
            return false;
        }
        return containsSecondOfDay(local.toLocalTime().toSecondOfDay());
    }

    /** True when a local time of day (seconds since midnight) on this window's day falls inside it. */
    public boolean containsSecondOfDay(int second) {
        return second >= startMinute * 60 && second < endMinute * 60;
    }

    /** The local wall-clock start of this window on {@code date} (which must fall on {@link #day()}). */
    public LocalDateTime startOn(LocalDate date) {
        return date.atStartOfDay().plusMinutes(startMinute);
    }

    /** The local wall-clock end (exclusive) of this window on {@code date}; 24:00 is the next day's midnight. */
    public LocalDateTime endOn(LocalDate date) {
        return date.atStartOfDay().plusMinutes(endMinute);
    }

    /** The time range alone, e.g. {@code 08:00-18:00}. */
    public String times() {
        return format(startMinute) + "-" + format(endMinute);
    }

    @Override
    public String toString() {
        return day.name().substring(0, 3) + " " + format(startMinute) + "-" + format(endMinute);
    }

    private static String format(int minute) {
        return minute == 1440 ? "24:00" : LocalTime.ofSecondOfDay(minute * 60L).toString();
    }
}
