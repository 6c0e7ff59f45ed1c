package dev.portcullis.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading a mesh process's heap from jcmd, and the soak's flat-or-not verdict. */
class ResourcesTest {

    /** GC.heap_info of a mesh service (the launcher runs them with -XX:+UseSerialGC), as jcmd printed it. */
    private static final String SERIAL_HEAP_INFO = """
            10679:
             def new generation   total 20544K, used 17742K [0x00000000ec000000, 0x00000000ed640000, 0x00000000f2aa0000)
              eden space 18304K,  96% used [0x00000000ec000000, 0x00000000ed14dfe8, 0x00000000ed1e0000)
              from space 2240K,   1% used [0x00000000ed410000, 0x00000000ed415a00, 0x00000000ed640000)
              to   space 2240K,   0% used [0x00000000ed1e0000, 0x00000000ed1e0000, 0x00000000ed410000)
             tenured generation   total 45440K, used 26168K [0x00000000f2aa0000, 0x00000000f5700000, 0x0000000100000000)
               the space 45440K,  57% used [0x00000000f2aa0000, 0x00000000f442e2f8, 0x00000000f442e400, 0x00000000f5700000)
             Metaspace       used 107315K, committed 108672K, reserved 1179648K
              class space    used 15029K, committed 15552K, reserved 1048576K
            """;

    @Test
    void heapUsedIsBothGenerationsWithoutMetaspace() {
        assertEquals((17742L + 26168L) * 1024, Resources.heapUsed(SERIAL_HEAP_INFO));
    }

    @Test
    void anAnswerWithoutAHeapIsUnknown() {
        assertEquals(-1, Resources.heapUsed("10679:\nCould not attach to 10679\n"));
    }

    @Test
    void aSeriesIsFlatWhenItsLastThirdStaysWithinTenPercentAndTheSlackOfItsFirst() {
        assertTrue(Soak.trend("heap", List.of(30.0, 34.0, 29.0, 31.0, 33.0, 30.0, 32.0, 35.0, 31.0), 8).flat());
        assertTrue(Soak.trend("fds", List.of(60.0, 61.0, 60.0, 62.0, 64.0, 63.0), 5).flat());
        assertFalse(Soak.trend("heap", List.of(30.0, 35.0, 40.0, 45.0, 50.0, 55.0, 60.0, 65.0, 70.0), 8).flat(),
                "a heap that keeps growing is not flat");
        assertFalse(Soak.trend("fds", List.of(60.0, 60.0, 70.0, 70.0, 80.0, 80.0), 5).flat(), "leaking descriptors are not flat");
    }
}
