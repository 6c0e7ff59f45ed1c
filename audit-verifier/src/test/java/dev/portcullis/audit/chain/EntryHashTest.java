package dev.portcullis.audit.chain;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EntryHashTest {

    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);

    /** Vectors computed independently (Python hashlib + struct) from the encoding documented in EntryHash. */
    @Test
    void matchesTheDocumentedEncoding() {
        byte[] first = EntryHash.compute(1, EntryHash.genesis(), HELLO);
        assertEquals("ba4c2a0363db20840745266513ab5378eaf8cbb6afbff43440da9df74b47b817", EntryHash.hex(first));
        byte[] second = EntryHash.compute(2, first, new byte[0]);
        assertEquals("a37cb5ac80e4d1e2e74594b1d19df76aed1a6f03ed8a30fa992314a569e7fbce", EntryHash.hex(second));
    }

    @Test
    void theGenesisIsThirtyTwoZeroBytes() {
        assertArrayEquals(new byte[32], EntryHash.genesis());
        assertEquals(EntryHash.GENESIS, EntryHash.hex(EntryHash.genesis()));
        EntryHash.genesis()[0] = 1;
        assertArrayEquals(new byte[32], EntryHash.genesis(), "callers get a copy");
    }

    @Test
    void everyHashedFieldMatters() {
        byte[] base = EntryHash.compute(7, EntryHash.genesis(), HELLO);
        byte[] previous = EntryHash.genesis();
        previous[31] = 1;
        assertFalse(Arrays.equals(base, EntryHash.compute(8, EntryHash.genesis(), HELLO)));
        assertFalse(Arrays.equals(base, EntryHash.compute(7, previous, HELLO)));
        assertFalse(Arrays.equals(base, EntryHash.compute(7, EntryHash.genesis(), "hellp".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void lengthPrefixesKeepFieldsApart() {
        // Moving a byte from one field to the next must change the hash (no ambiguous concatenation).
        byte[] a = EntryHash.compute(1, EntryHash.genesis(), HexFormat.of().parseHex("0000"));
        byte[] b = EntryHash.compute(1, EntryHash.genesis(), HexFormat.of().parseHex("00"));
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void rejectsWhatCannotBeAnEntry() {
        assertThrows(IllegalArgumentException.class, () -> EntryHash.compute(0, EntryHash.genesis(), HELLO));
        assertThrows(IllegalArgumentException.class, () -> EntryHash.compute(1, new byte[31], HELLO));
        assertThrows(IllegalArgumentException.class, () -> EntryHash.compute(1, null, HELLO));
        assertThrows(IllegalArgumentException.class, () -> EntryHash.compute(1, EntryHash.genesis(), null));
    }
}
