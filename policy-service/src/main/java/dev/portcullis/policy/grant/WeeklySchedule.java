package dev.portcullis.policy.grant;

import java.time.DayOfWeek;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The weekly windows of a grant, in the door's local time. Parses the compact form operators type:
 * {@code always}, {@code MON-FRI 08:00-18:00}, {@code SAT,SUN 10:00-14:00; THU 22:00-24:00}.
 * A window that crosses midnight ({@code FRI 22:00-02:00}) becomes two windows.
 */
public record WeeklySchedule(List<WeeklyWindow> windows) {

    public WeeklySchedule {
        windows = List.copyOf(windows);
    }

    public static WeeklySchedule always() {
        List<WeeklyWindow> all = new ArrayList<>();
        for (DayOfWeek day : DayOfWeek.values()) {
            all.add(WeeklyWindow.allDay(day));
        }
        return new WeeklySchedule(all);
    }

    /** True when the local wall-clock time (day of week and time of day) falls inside one of the windows. */
    public boolean contains(ZonedDateTime local) {
        DayOfWeek day = local.getDayOfWeek();
        int second = local.toLocalTime().toSecondOfDay();
        for (WeeklyWindow window : windows) {
            if (window.day() == day && window.containsSecondOfDay(second)) {
                return true;
            }
        }
        return false;
    }

    /** The windows that fall on {@code day}. */
    public List<WeeklyWindow> windowsOn(DayOfWeek day) {
        List<WeeklyWindow> on = new ArrayList<>(2);
        for (WeeklyWindow window : windows) {
            if (window.day() == day) {
                on.add(window);
            }
        }
        return on;
    }

    /**
     * The compact form for people, consecutive days with the same times joined: {@code MON-FRI 08:00-18:00; SAT 10:00-14:00},
     * {@code always} for every day all day.
     */
    public String describe() {
        if (equalsAlways()) {
            return "always";
        }
        Map<String, EnumSet<DayOfWeek>> daysByTimes = new LinkedHashMap<>();
        windows.stream().sorted(Comparator.comparing(WeeklyWindow::startMinute).thenComparing(WeeklyWindow::day))
                .forEach(window -> daysByTimes.computeIfAbsent(window.times(), t -> EnumSet.noneOf(DayOfWeek.class)).add(window.day()));
        List<String> parts = new ArrayList<>();
        daysByTimes.forEach((times, days) -> parts.add(describeDays(days) + " " + times));
        return String.join("; ", parts);
    }

    private boolean equalsAlways() {
        EnumSet<DayOfWeek> allDay = EnumSet.noneOf(DayOfWeek.class);
        for (WeeklyWindow window : windows) {
            if (window.startMinute() == 0 && window.endMinute() == 1440) {
                allDay.add(window.day());
            }
        }
        return allDay.size() == 7;
    }

    private static String describeDays(EnumSet<DayOfWeek> days) {
        List<String> runs = new ArrayList<>();
        DayOfWeek runStart = null;
        DayOfWeek previous = null;
        for (DayOfWeek day : days) {
            if (runStart == null) {
                runStart = day;
            } else if (previous.plus(1) != day) {
                runs.add(run(runStart, previous));
                runStart = day;
            }
            previous = day;
        }
        runs.add(run(runStart, previous));
        return String.join(",", runs);
    }

    private static String run(DayOfWeek first, DayOfWeek last) {
        String name = first.name().substring(0, 3);
        return first == last ? name : name + "-" + last.name().substring(0, 3);
    }

    public static WeeklySchedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a schedule is required (e.g. \"always\" or \"MON-FRI 08:00-18:00\")");
        }
        if (text.trim().equalsIgnoreCase("always")) {
            return always();
        }
        List<WeeklyWindow> windows = new ArrayList<>();
        for (String part : text.split(";")) {
            String[] pieces = part.trim().split("\\s+");
            if (pieces.length != 2) {
                throw new IllegalArgumentException("expected \"DAYS HH:MM-HH:MM\" but got \"" + part.trim() + "\"");
            }
            EnumSet<DayOfWeek> days = parseDays(pieces[0]);
            String[] times = pieces[1].split("-");
            if (times.length != 2) {
                throw new IllegalArgumentException("expected a time range HH:MM-HH:MM but got \"" + pieces[1] + "\"");
            }
            int start = parseMinute(times[0]);
            int end = parseMinute(times[1]);
            for (DayOfWeek day : days) {
                if (end > start) {
                    windows.add(new WeeklyWindow(day, start, end));
                } else if (end < start) {
                    windows.add(new WeeklyWindow(day, start, 1440));
                    if (end > 0) {
                        windows.add(new WeeklyWindow(day.plus(1), 0, end));
                    }
                } else {
                    throw new IllegalArgumentException("a window must not be empty: " + pieces[1]);
                }
            }
        }
        return new WeeklySchedule(windows);
    }

    private static EnumSet<DayOfWeek> parseDays(String text) {
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String item : text.split(",")) {
            String[] range = item.split("-");
            DayOfWeek first = parseDay(range[0]);
            DayOfWeek last = range.length == 2 ? parseDay(range[1]) : first;
            if (range.length > 2) {
                throw new IllegalArgumentException("bad day range \"" + item + "\"");
            }
            for (DayOfWeek day = first; ; day = day.plus(1)) {
                days.add(day);
                if (day == last) {
                    break;
                }
            }
        }
        return days;
    }

    private static DayOfWeek parseDay(String text) {
        String upper = text.trim().toUpperCase(Locale.ROOT);
        for (DayOfWeek day : DayOfWeek.values()) {
            if (day.name().startsWith(upper) && upper.length() >= 3) {
                return day;
            }
        }
        throw new IllegalArgumentException("unknown day \"" + text + "\" (use MON, TUE, WED, THU, FRI, SAT, SUN)");
    }

    private static int parseMinute(String text) {
        String[] hm = text.trim().split(":");
        try {
            int hour = Integer.parseInt(hm[0]);
            int minute = hm.length == 2 ? Integer.parseInt(hm[1]) : 0;
            if (hm.length > 2 || hour < 0 || hour > 24 || minute < 0 || minute > 59 || (hour == 24 && minute != 0)) {
                throw new NumberFormatException();
            }
            return hour * 60 + minute;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad time \"" + text + "\" (use HH:MM, 00:00 to 24:00)");
        }
    }

    @Override
    public String toString() {
        return String.join("; ", windows.stream().map(WeeklyWindow::toString).toList());
    }
}
