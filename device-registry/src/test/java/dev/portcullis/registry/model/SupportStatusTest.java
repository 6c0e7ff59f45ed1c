package dev.portcullis.registry.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class SupportStatusTest {

    static final LocalDate TODAY = LocalDate.of(2026, 12, 3);

    @Test
    void theEndDayIsTheLastSupportedDayAndTheWindowIsInclusive() {
        assertEquals(SupportStatus.SUPPORTED, SupportStatus.on(TODAY, null, 90));
        assertEquals(SupportStatus.SUPPORTED, SupportStatus.on(TODAY, TODAY.plusDays(91), 90));
        assertEquals(SupportStatus.ENDING_SOON, SupportStatus.on(TODAY, TODAY.plusDays(90), 90));
        assertEquals(SupportStatus.ENDING_SOON, SupportStatus.on(TODAY, TODAY, 90));
        assertEquals(SupportStatus.UNSUPPORTED, SupportStatus.on(TODAY, TODAY.minusDays(1), 90));
        assertEquals(SupportStatus.UNSUPPORTED, SupportStatus.on(TODAY, TODAY.minusYears(3), 90));
    }
}
