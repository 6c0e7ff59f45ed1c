package dev.portcullis.simulator.lock;

import static dev.portcullis.simulator.support.FakePlatform.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.lock.protocol.Acknowledgement;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.lock.protocol.RejectionReason;
import dev.portcullis.lock.protocol.SealedCommand;
import dev.portcullis.simulator.enrollment.EnrollmentClient;
import dev.portcullis.simulator.gateway.GatewayLink;
import dev.portcullis.simulator.support.FakePlatform;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lock's identity, trust anchors and anti-replay counter live on disk: a restarted lock is the same
 * lock (no second enrollment, same keys) and still refuses what it accepted before the restart.
 */
class LockRestartTest {

    private static final String LOCK = "3c2b1a09-8f7e-4d6c-b5a4-932f1e0d0c01";
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();
    private FakePlatform platform;
    private ScheduledExecutorService scheduler;
    private HttpClient http;
    private VirtualLock lock;

    @BeforeEach
    void start() throws Exception {
        platform = new FakePlatform(3);
        scheduler = Executors.newScheduledThreadPool(2);
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        if (lock != null) {
            lock.close();
        }
        scheduler.shutdownNow();
        platform.close();
    }

    @Test
    void keysEnrollmentAndCounterSurviveARestart() throws Exception {
        String secret = UUID.randomUUID().toString();
        platform.registry().expect(LOCK, secret);
        lock = startLock(secret);
        LockIdentity enrolled = platform.registry().identity(LOCK);
        SealedCommand first = platform.unlock(LOCK);
        assertTrue(platform.deliver(LOCK, first.envelope(), first.commandHash()).executed());
        SealedCommand second = platform.unlock(LOCK);
        assertTrue(platform.deliver(LOCK, second.envelope(), second.commandHash()).executed());
        lock.close();
        await("disconnected", WAIT, () -> !platform.gateway().connected(LOCK));

        lock = startLock(secret);

        assertEquals(1, platform.registry().requests(LOCK), "a restarted lock does not enroll again");
        LockView view = lock.view();
        assertEquals(enrolled.signingKeyId(), view.signingKeyId(), "same identity after the restart");
        assertEquals(3, view.keyEpoch());
        assertEquals(second.counter(), view.lastCounter());
        assertEquals(0, view.actuations());
        // Both commands accepted before the restart are replays now.
        for (SealedCommand replay : new SealedCommand[] {first, second}) {
            Acknowledgement refused = platform.deliver(LOCK, replay.envelope(), replay.commandHash());
            assertEquals(RejectionReason.REPLAYED_COUNTER, refused.reason());
        }
        assertEquals(0, lock.view().actuations());
        // New commands verify against the trust anchors kept from the enrollment, and the ack against the same lock key.
        SealedCommand third = platform.unlock(LOCK);
        assertTrue(platform.deliver(LOCK, third.envelope(), third.commandHash()).executed());
        assertEquals(1, lock.view().actuations());

        Path directory = dataDir.resolve(LOCK);
        for (String file : new String[] {"signing-key.pem", "agreement-key.pem", "counters", "enrollment.json"}) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve(file))), file);
        }
        String enrollment = Files.readString(directory.resolve("enrollment.json"));
        assertTrue(!enrollment.contains(secret), "the enrollment secret is never written down");

        // An enrolled lock whose counters are gone refuses to start rather than accept every old command again.
        lock.close();
        Files.delete(directory.resolve("counters"));
        assertThrows(RuntimeException.class, () -> LockStorage.open(dataDir, LOCK, Optional.of(secret), json));
    }

    @Test
    void aNewEnrollmentSecretIsAFactoryReset() throws Exception {
        String secret = UUID.randomUUID().toString();
        platform.registry().expect(LOCK, secret);
        lock = startLock(secret);
        String firstKey = lock.view().signingKeyId();
        SealedCommand before = platform.unlock(LOCK);
        assertTrue(platform.deliver(LOCK, before.envelope(), before.commandHash()).executed());
        lock.close();
        await("disconnected", WAIT, () -> !platform.gateway().connected(LOCK));

        String newSecret = UUID.randomUUID().toString();
        platform.registry().reprovision(LOCK, newSecret);
        lock = startLock(newSecret);

        assertEquals(2, platform.registry().requests(LOCK));
        assertNotEquals(firstKey, lock.view().signingKeyId(), "re-provisioned with new keys");
        assertEquals(lock.view().signingKeyId(), platform.registry().identity(LOCK).signingKeyId());
        Acknowledgement old = platform.deliver(LOCK, before.envelope(), before.commandHash());
        assertEquals(RejectionReason.WRONG_LOCK_KEY, old.reason(), "a command for the old keys is refused");
        SealedCommand after = platform.unlock(LOCK);
        assertTrue(platform.deliver(LOCK, after.envelope(), after.commandHash()).executed());
    }

    private VirtualLock startLock(String secret) {
        GatewayLink.Settings gateway = new GatewayLink.Settings("127.0.0.1", platform.gateway().port(), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(500));
        VirtualLock.Settings settings = new VirtualLock.Settings(LOCK, Optional.of(secret), "test-1.0", Duration.ofSeconds(1),
                Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMillis(50), Duration.ofMillis(200), gateway);
        LockStorage storage = LockStorage.open(dataDir, LOCK, Optional.of(secret), json);
        VirtualLock started = new VirtualLock(settings, storage, new EnrollmentClient(http, platform.registry().url(), json,
                Duration.ofSeconds(5)), scheduler, Clock.systemUTC());
        started.start();
        await("connected", WAIT, () -> started.connected() && platform.gateway().connected(LOCK));
        return started;
    }
}
