package dev.portcullis.policy.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.portcullis.policy.grant.WeeklySchedule;
import dev.portcullis.policy.grant.WeeklyWindow;
import java.time.DayOfWeek;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The schedule form operators type, and the compact form explanations show. */
class WeeklyScheduleTest {

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
    void aWindowAcrossMidnightBecomesTwo() {
        assertEquals(List.of(new WeeklyWindow(DayOfWeek.SUNDAY, 22 * 60, 1440), new WeeklyWindow(DayOfWeek.MONDAY, 0, 120)),
                WeeklySchedule.parse("SUN 22:00-02:00").windows());
        assertEquals(List.of(new WeeklyWindow(DayOfWeek.FRIDAY, 22 * 60, 1440)), WeeklySchedule.parse("FRI 22:00-00:00").windows());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "always | always",
            "MON-FRI 08:00-18:00 | MON-FRI 08:00-18:00",
            "MON,TUE,WED,FRI 08:00-18:00 | MON-WED,FRI 08:00-18:00",
            "SAT,SUN 10:00-14:00; THU 22:00-24:00 | SAT-SUN 10:00-14:00; THU 22:00-24:00",
            "FRI 22:00-02:00 | SAT 00:00-02:00; FRI 22:00-24:00",
            "MON-SUN 00:00-24:00 | always"})
    void describesCompactly(String typed, String described) {
        assertEquals(described, WeeklySchedule.parse(typed).describe());
    }
}
