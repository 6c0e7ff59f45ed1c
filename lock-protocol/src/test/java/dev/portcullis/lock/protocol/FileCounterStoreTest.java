package dev.portcullis.lock.protocol;

import static dev.portcullis.lock.protocol.Fixture.rejection;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lock's durable anti-replay state: survives restarts, fails closed. */
class FileCounterStoreTest {

    @TempDir
    Path dir;

    @Test
    void counterSurvivesARestartAndTheReplayIsStillRefused() throws Exception {
        Path file = dir.resolve("counters");
        Fixture before = new Fixture(FileCounterStore.create(file));
        byte[] envelope = before.seal(17).envelope();
        before.verifier.verify(envelope);

        // Power cycle: new store object, new verifier, same file, same keys.
        FileCounterStore reopened = FileCounterStore.open(file);
        assertEquals(17, reopened.lastAccepted(1));
        LockVerifier after = new LockVerifier(Fixture.LOCK_ID, 1, before.lockKeys, before.verifier.trustedKeys(), reopened,
                java.time.Clock.fixed(Fixture.NOW, java.time.ZoneOffset.UTC), Fixture.SKEW, Fixture.MAX_LIFETIME);
        assertEquals(RejectionReason.REPLAYED_COUNTER, rejection(after, envelope));
        assertEquals(RejectionReason.REPLAYED_COUNTER, rejection(after, before.seal(16).envelope()));
        assertEquals(18, after.verify(before.seal(18).envelope()).counter());
        assertEquals(18, FileCounterStore.open(file).lastAccepted(1));
    }

    @Test
    void keepsEveryEpochAndTheConstructorReopensAnExistingFile() throws Exception {
        Path file = dir.resolve("counters");
        FileCounterStore store = new FileCounterStore(file);
        store.advance(1, 5);
        store.advance(2, 3);
        store.advance(1, 9);
        FileCounterStore reopened = new FileCounterStore(file);
        assertEquals(9, reopened.lastAccepted(1));
        assertEquals(3, reopened.lastAccepted(2));
        assertEquals(0, reopened.lastAccepted(3));
    }

    @Test
    void advanceRefusesNonIncreasingCounters() throws Exception {
        FileCounterStore store = FileCounterStore.create(dir.resolve("counters"));
        store.advance(1, 5);
        assertThrows(IllegalArgumentException.class, () -> store.advance(1, 5));
        assertThrows(IllegalArgumentException.class, () -> store.advance(1, 4));
        assertThrows(IllegalArgumentException.class, () -> store.advance(2, 0));
        assertThrows(IllegalArgumentException.class, () -> store.advance(-1, 1));
        assertEquals(5, FileCounterStore.open(dir.resolve("counters")).lastAccepted(1));
    }

    @Test
    void missingFileOfAnEnrolledLockFailsClosed() throws Exception {
        Path file = dir.resolve("counters");
        FileCounterStore.create(file).advance(1, 40);
        Files.delete(file);
        UncheckedIOException missing = assertThrows(UncheckedIOException.class, () -> FileCounterStore.open(file));
        assertInstanceOf(NoSuchFileException.class, missing.getCause());
    }

    @Test
    void createRefusesToResetAnExistingStore() throws Exception {
        Path file = dir.resolve("counters");
        FileCounterStore.create(file).advance(1, 40);
        UncheckedIOException exists = assertThrows(UncheckedIOException.class, () -> FileCounterStore.create(file));
        assertInstanceOf(FileAlreadyExistsException.class, exists.getCause());
        assertEquals(40, FileCounterStore.open(file).lastAccepted(1));
    }

    @Test
    void aStoreThatNeverExistedStartsAtZeroAndExistsFromThen() {
        Path file = dir.resolve("sub/dir/counters");
        FileCounterStore fresh = new FileCounterStore(file);
        assertEquals(0, fresh.lastAccepted(1));
        assertTrue(Files.exists(file), "the file exists from the first open, so a later loss is detectable");
        assertEquals(0, FileCounterStore.open(file).lastAccepted(1));
    }

    @Test
    void corruptFilesFailClosed() throws Exception {
        Path file = dir.resolve("counters");
        FileCounterStore.create(file).advance(1, 40);
        String good = Files.readString(file, StandardCharsets.US_ASCII);
        String checksummed = good.substring(0, good.lastIndexOf("sha256 "));

        List<String> corrupt = List.of(
                "",                                                     // truncated to nothing
                good.substring(0, good.length() / 2),                   // torn
                good.replace("1 40", "1 10"),                           // rolled back without the checksum
                good.replace("1 40", "1 4"),                            // a lost digit
                checksummed,                                            // checksum line lost
                good + "1 50\n",                                        // trailing entry
                good.replace("portcullis-counter-store v1", "portcullis-counter-store v2"),
                withChecksum(checksummed.replace("1 40", "1 -40")),     // negative, even with a valid checksum
                withChecksum(checksummed.replace("1 40", "1 040")),     // not the canonical number
                withChecksum(checksummed.replace("1 40", "1 0")),       // counters start at 1
                withChecksum(checksummed + "1 41\n"),                   // epoch repeated
                withChecksum(checksummed.replace("1 40\n", "2 1\n1 40\n")), // epochs out of order
                withChecksum(checksummed.replace("1 40", "1 99999999999999999999")), // out of range
                withChecksum(checksummed.replace("1 40", "1  40")),
                withChecksum(checksummed.replace("\n", "\r\n")));
        for (String content : corrupt) {
            Files.writeString(file, content, StandardCharsets.ISO_8859_1);
            assertThrows(IllegalStateException.class, () -> FileCounterStore.open(file), content);
            assertThrows(IllegalStateException.class, () -> new FileCounterStore(file), content);
        }
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});
        assertThrows(RuntimeException.class, () -> FileCounterStore.open(file));

        Files.writeString(file, good, StandardCharsets.US_ASCII);
        assertEquals(40, FileCounterStore.open(file).lastAccepted(1));
    }

    @Test
    void afterAFailedWriteTheStoreRefusesToAdvanceUntilReopened() throws Exception {
        Path state = dir.resolve("state");
        Path file = state.resolve("counters");
        FileCounterStore store = FileCounterStore.create(file);
        store.advance(1, 1);
        Files.move(state, dir.resolve("elsewhere"));
        Files.writeString(state, "a file where the directory was");
        assertThrows(IOException.class, () -> store.advance(1, 2));

        // Even once the directory is back, this instance no longer knows what is durable.
        Files.delete(state);
        Files.move(dir.resolve("elsewhere"), state);
        assertThrows(IOException.class, () -> store.advance(1, 3));
        assertEquals(1, store.lastAccepted(1));

        FileCounterStore reopened = FileCounterStore.open(file);
        reopened.advance(1, 3);
        assertEquals(3, FileCounterStore.open(file).lastAccepted(1));
    }

    @Test
    void writesAreAtomicAndOwnerOnly() throws Exception {
        Path file = dir.resolve("counters");
        FileCounterStore store = FileCounterStore.create(file);
        for (int counter = 1; counter <= 50; counter++) {
            store.advance(1, counter);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary files are left behind");
        }
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        String content = Files.readString(file, StandardCharsets.US_ASCII);
        assertTrue(content.startsWith("portcullis-counter-store v1\n1 50\nsha256 "), content);
        assertFalse(content.contains("\r"));
    }

    private static String withChecksum(String body) {
        return body + "sha256 " + java.util.HexFormat.of().formatHex(Encoding.sha256(body.getBytes(StandardCharsets.ISO_8859_1))) + "\n";
    }
}
