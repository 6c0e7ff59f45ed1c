package dev.portcullis.simulator.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.lock.protocol.CounterStore;
import dev.portcullis.lock.protocol.FileCounterStore;
import dev.portcullis.lock.protocol.InMemoryLockKeys;
import dev.portcullis.lock.protocol.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * One lock's persistent state in {@code <data dir>/<lock id>/} (directory 0700, files 0600, written
 * atomically): its key pairs ({@code signing-key.pem}, {@code agreement-key.pem}), its anti-replay
 * counters ({@code counters}) and its enrollment ({@code enrollment.json}). A restart keeps the same
 * identity, trust anchors and counter, so a command accepted before a restart is refused after it.
 */
public final class LockStorage {

    private static final Logger LOG = Logger.getLogger(LockStorage.class);

    /** Lock ids become directory names: no separators, no "..", nothing a shell or a file system would mangle. */
    public static final Pattern LOCK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    static final String SIGNING_KEY = "signing-key.pem";
    static final String AGREEMENT_KEY = "agreement-key.pem";
    static final String COUNTERS = "counters";
    static final String ENROLLMENT = "enrollment.json";
    private static final String FINGERPRINT_DOMAIN = "portcullis-simulator/enrollment-secret/v1\u0000";

    private final Path directory;
    private final ObjectMapper json;
    private final InMemoryLockKeys keys;
    private final CounterStore counters;
    private volatile EnrollmentRecord enrollment;

    private LockStorage(Path directory, ObjectMapper json, InMemoryLockKeys keys, CounterStore counters, EnrollmentRecord enrollment) {
        this.directory = directory;
        this.json = json;
        this.keys = keys;
        this.counters = counters;
        this.enrollment = enrollment;
    }

    /**
     * Opens the lock's state, generating and persisting its keys on first start. If the lock enrolled
     * with another enrollment secret than {@code enrollmentSecret}, it has been re-provisioned: its old
     * keys, counters and enrollment are discarded (a factory reset) and it starts over.
     *
     * @throws IllegalArgumentException if the lock id cannot be a directory name
     * @throws IllegalStateException    if the stored state is inconsistent or corrupt
     */
    public static LockStorage open(Path dataDir, String lockId, Optional<String> enrollmentSecret, ObjectMapper json) {
        if (lockId == null || !LOCK_ID.matcher(lockId).matches()) {
            throw new IllegalArgumentException("invalid lock id (letters, digits, '.', '_', '-'; at most 128): " + lockId);
        }
        try {
            if (!Files.isDirectory(dataDir)) {
                ownerOnlyDirectory(dataDir.toAbsolutePath());
            }
            Path directory = ownerOnlyDirectory(dataDir.toAbsolutePath().resolve(lockId));
            Path enrollmentFile = directory.resolve(ENROLLMENT);
            Path signing = directory.resolve(SIGNING_KEY);
            Path agreement = directory.resolve(AGREEMENT_KEY);
            EnrollmentRecord enrollment = Files.exists(enrollmentFile) ? json.readValue(enrollmentFile.toFile(), EnrollmentRecord.class) : null;

            if (enrollment != null && enrollmentSecret.isPresent() && enrollment.secretFingerprint() != null
                    && !MessageDigest.isEqual(enrollment.secretFingerprint().getBytes(StandardCharsets.US_ASCII),
                            fingerprint(enrollmentSecret.get()).getBytes(StandardCharsets.US_ASCII))) {
                LOG.warnf("lock %s: configured with another enrollment secret than the one it enrolled with: treating it as"
                        + " re-provisioned (factory reset: new keys, new counters, new enrollment)", lockId);
                deleteState(directory);
                enrollment = null;
            }

            InMemoryLockKeys keys;
            if (Files.exists(signing) && Files.exists(agreement)) {
                keys = InMemoryLockKeys.load(signing, agreement);
            } else if (enrollment != null) {
                throw new IllegalStateException("lock " + lockId + " is enrolled but its key files are missing in " + directory);
            } else {
                // First start (or a crash between writing the two files, before any enrollment): new keys.
                Files.deleteIfExists(signing);
                Files.deleteIfExists(agreement);
                keys = InMemoryLockKeys.generate();
                keys.store(signing, agreement);
                LOG.infof("lock %s: generated its keys (signing %s, agreement %s)", lockId, keys.signingKeyId(), keys.agreementKeyId());
            }
            if (enrollment != null && (!lockId.equals(enrollment.lockId()) || !keys.signingKeyId().equals(enrollment.signingKeyId())
                    || !keys.agreementKeyId().equals(enrollment.agreementKeyId()))) {
                throw new IllegalStateException("lock " + lockId + ": " + ENROLLMENT + " does not match the lock's id or keys in " + directory);
            }
            // An enrolled lock must find its counters (a missing file is refused, never read as "nothing accepted").
            Path counterFile = directory.resolve(COUNTERS);
            FileCounterStore counters = enrollment != null || Files.exists(counterFile)
                    ? FileCounterStore.open(counterFile)
                    : FileCounterStore.create(counterFile);
            return new LockStorage(directory, json, keys, counters, enrollment);
        } catch (IOException e) {
            throw new UncheckedIOException("could not open the state of lock " + lockId, e);
        }
    }

    public Path directory() {
        return directory;
    }

    public InMemoryLockKeys keys() {
        return keys;
    }

    public CounterStore counters() {
        return counters;
    }

    public Optional<EnrollmentRecord> enrollment() {
        return Optional.ofNullable(enrollment);
    }

    /** Durably records the enrollment (atomic replace, 0600). */
    public void saveEnrollment(EnrollmentRecord record) {
        try {
            PrivateFiles.write(directory.resolve(ENROLLMENT), json.writeValueAsBytes(record), true);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + directory.resolve(ENROLLMENT), e);
        }
        this.enrollment = record;
    }

    /** Domain-separated SHA-256 of an enrollment secret, base64url. */
    static String fingerprint(String secret) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(FINGERPRINT_DOMAIN.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private static Path ownerOnlyDirectory(Path directory) throws IOException {
        Files.createDirectories(directory);
        if (Files.getFileStore(directory).supportsFileAttributeView("posix")) {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        return directory;
    }

    /**
     * Enrollment first, then the keys, then the counters: a crash part-way leaves either old keys with
     * their counters (a re-enrollment keeps them) or new keys, which no old command is addressed to.
     */
    private static void deleteState(Path directory) throws IOException {
        for (String name : List.of(ENROLLMENT, SIGNING_KEY, AGREEMENT_KEY, COUNTERS)) {
            Files.deleteIfExists(directory.resolve(name));
        }
    }
}
