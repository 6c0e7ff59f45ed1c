package dev.portcullis.lock.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A counter store in one small text file, replaced atomically on every accepted command: the new
 * state is written to a temporary file in the same directory, forced to disk, renamed over the old
 * file ({@code ATOMIC_MOVE}) and the directory is forced, so a crash leaves either the old or the new
 * state and a reboot never rolls the counter back (docs/lock-protocol.md, "Counters and epochs").
 *
 * <p>Format (US-ASCII, {@code \n} line ends, nothing else):
 * <pre>
 * portcullis-counter-store v1
 * &lt;epoch&gt; &lt;counter&gt;          one line per key epoch, epochs strictly ascending, counter &gt;= 1
 * sha256 &lt;64 lower-case hex&gt;    SHA-256 of every byte before this line
 * </pre>
 *
 * <p>It fails closed: an existing file that is unreadable, truncated, altered (checksum), or in any
 * other form than the one written here is refused with an exception, never read as "no counters".
 * Only {@link #create} (first enrolment) starts from nothing. After a write fails, the store refuses
 * every further {@link #advance} until it is reopened, because the durable state is then unknown.
 */
public final class FileCounterStore implements CounterStore {

    private static final String MAGIC = "portcullis-counter-store v1";
    private static final Pattern ENTRY = Pattern.compile("(0|[1-9][0-9]{0,9}) ([1-9][0-9]{0,18})");
    private static final Pattern CHECKSUM = Pattern.compile("sha256 ([0-9a-f]{64})");

    private final Path file;
    private final Map<Integer, Long> counters;
    private IOException failed;

    /**
     * Opens the store at {@code file} if it exists (as {@link #open}), or creates it (as
     * {@link #create}) if it does not. A lock that has been enrolled before should call {@link #open}:
     * this constructor cannot tell a file that never existed from one that was deleted.
     *
     * @throws IllegalStateException if an existing file is corrupt
     * @throws UncheckedIOException  if the file cannot be read or created
     */
    public FileCounterStore(Path file) {
        this(file, Files.exists(file) ? read(file) : null);
    }

    private FileCounterStore(Path file, Map<Integer, Long> existing) {
        this.file = file;
        if (existing == null) {
            this.counters = new TreeMap<>();
            PrivateFiles.write(file, encode(counters), false);
        } else {
            this.counters = existing;
        }
    }

    /**
     * Reopens the store of an enrolled lock (a reboot).
     *
     * @throws UncheckedIOException  wrapping {@link NoSuchFileException} if the file is missing, or any
     *                               other read failure
     * @throws IllegalStateException if the file is corrupt
     */
    public static FileCounterStore open(Path file) {
        return new FileCounterStore(file, read(file));
    }

    /**
     * Creates the store at enrolment, with no accepted counters, and writes it durably.
     *
     * @throws UncheckedIOException wrapping {@link FileAlreadyExistsException} if the file exists
     */
    public static FileCounterStore create(Path file) {
        return new FileCounterStore(file, null);
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized long lastAccepted(int keyEpoch) {
        return counters.getOrDefault(keyEpoch, 0L);
    }

    @Override
    public synchronized void advance(int keyEpoch, long counter) throws IOException {
        if (failed != null) {
            throw new IOException("an earlier write of " + file + " failed; reopen the store", failed);
        }
        if (keyEpoch < 0) {
            throw new IllegalArgumentException("key epoch must not be negative");
        }
        long previous = lastAccepted(keyEpoch);
        if (counter <= previous) {
            throw new IllegalArgumentException("counter " + counter + " is not greater than " + previous);
        }
        Map<Integer, Long> next = new TreeMap<>(counters);
        next.put(keyEpoch, counter);
        try {
            PrivateFiles.write(file, encode(next), true);
        } catch (UncheckedIOException e) {
            failed = e.getCause();
            throw e.getCause();
        } catch (RuntimeException e) {
            failed = new IOException(e);
            throw e;
        }
        counters.put(keyEpoch, counter);
    }

    private static byte[] encode(Map<Integer, Long> counters) {
        StringBuilder content = new StringBuilder(MAGIC).append('\n');
        counters.forEach((epoch, value) -> content.append(epoch).append(' ').append(value).append('\n'));
        String body = content.toString();
        return (body + "sha256 " + HexFormat.of().formatHex(Encoding.sha256(body.getBytes(StandardCharsets.US_ASCII))) + "\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static Map<Integer, Long> read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read counter store " + file, e);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.endsWith("\n") || !text.startsWith(MAGIC + "\n")) {
            throw corrupt(file, "missing header or final line end");
        }
        int checksumStart = text.lastIndexOf('\n', text.length() - 2) + 1;
        Matcher checksum = CHECKSUM.matcher(text.substring(checksumStart, text.length() - 1));
        if (checksumStart <= MAGIC.length() || !checksum.matches()) {
            throw corrupt(file, "missing checksum line");
        }
        String body = text.substring(0, checksumStart);
        byte[] expected = Encoding.sha256(body.getBytes(StandardCharsets.US_ASCII));
        if (!java.security.MessageDigest.isEqual(expected, HexFormat.of().parseHex(checksum.group(1)))) {
            throw corrupt(file, "checksum mismatch");
        }
        Map<Integer, Long> counters = new TreeMap<>();
        int previousEpoch = -1;
        String[] lines = body.substring(MAGIC.length() + 1).split("\n", -1);
        // split leaves one empty string after the final '\n' of the body
        for (int i = 0; i < lines.length - 1; i++) {
            Matcher entry = ENTRY.matcher(lines[i]);
            if (!entry.matches()) {
                throw corrupt(file, "bad entry on line " + (i + 2));
            }
            int epoch;
            long counter;
            try {
                epoch = Integer.parseInt(entry.group(1));
                counter = Long.parseLong(entry.group(2));
            } catch (NumberFormatException e) {
                throw corrupt(file, "number out of range on line " + (i + 2));
            }
            if (epoch <= previousEpoch) {
                throw corrupt(file, "epochs not strictly ascending on line " + (i + 2));
            }
            previousEpoch = epoch;
            counters.put(epoch, counter);
        }
        if (!lines[lines.length - 1].isEmpty()) {
            throw corrupt(file, "trailing bytes");
        }
        return counters;
    }

    private static IllegalStateException corrupt(Path file, String detail) {
        return new IllegalStateException("corrupt counter store " + file + ": " + detail + "; refusing to start from 0");
    }
}
