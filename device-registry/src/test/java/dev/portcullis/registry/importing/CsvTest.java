package dev.portcullis.registry.importing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotesEscapesLineEndsAndBlankLines() throws Exception {
        List<Csv.Line> lines = Csv.parse("\uFEFFa,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\n\n\"two\nlines\",,z");
        assertEquals(3, lines.size());
        assertEquals(List.of("a", "b", "c"), lines.get(0).fields());
        assertEquals(List.of("x, y", "say \"hi\"", ""), lines.get(1).fields());
        assertEquals(2, lines.get(1).number());
        assertEquals(List.of("two\nlines", "", "z"), lines.get(2).fields());
        assertEquals(4, lines.get(2).number());
    }

    @Test
    void brokenQuotingIsRefusedWithItsLine() {
        assertEquals(2, assertThrows(Csv.MalformedCsvException.class, () -> Csv.parse("a\n\"open,b\n")).line);
        assertEquals(1, assertThrows(Csv.MalformedCsvException.class, () -> Csv.parse("a\"b,c\n")).line);
        assertEquals(1, assertThrows(Csv.MalformedCsvException.class, () -> Csv.parse("\"a\"b,c\n")).line);
    }
}
