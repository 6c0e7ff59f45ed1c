package dev.portcullis.load.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.launcher.ServiceProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Fault scenarios 3 and 7 of issue 9 against the real processes of one mesh (port base 29780) that runs on a
 * PostgreSQL cluster of its own (port 29795): PostgreSQL stopped with {@code pg_ctl -m immediate} under load,
 * and command-service sent SIGTERM under load. {@code -Dportcullis.faults.full=true} runs longer loads and outages.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestartFaultIT {

    private static final List<String> DOORS = List.of("Front entrance", "Unit 4B");
    private static final Duration ARRIVAL = Duration.ofSeconds(120);
    private static final Set<String> WITH_COMMAND = Set.of("DISPATCHED", "SUCCEEDED");
    private static final Set<String> WITHOUT_COMMAND = Set.of("REQUESTED", "AUTHORIZED", "DENIED", "PENDING_APPROVAL");

    private static OwnPostgres postgres;
    private static FaultMesh mesh;
    private static EventLedger ledger;

    @BeforeAll
    static void bringUpTheMesh() throws Exception {
        postgres = OwnPostgres.start(29795);
        try {
            mesh = FaultMesh.up(29780, postgres.server());
        } catch (Exception | AssertionError e) {
            postgres.close();
            throw e;
        }
        ledger = new EventLedger(mesh.postgres, mesh.layout.databasePrefix());
        mesh.awaitUnlockSucceeds("Front entrance", Duration.ofSeconds(30));
    }

    @AfterAll
    static void takeItDown() throws Exception {
        try {
            if (mesh != null) {
                mesh.down();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    private static UnlockLoad load() {
        return new UnlockLoad(mesh.layout.commandUrl(), DOORS.stream().map(mesh::door).toList(), mesh.token(), Duration.ofSeconds(10));
    }

    /**
     * Scenario 3: PostgreSQL stopped immediately under load and started again → unlocks during the outage fail
     * fast with 503, no command is half-written, and every service is ready again within 30 s of the restart
     * without being restarted itself.
     */
    @Test
    @Order(1)
    void postgresStoppedImmediatelyUnderLoadLeavesNoHalfWrittenCommandAndTheServicesRecoverByThemselves() throws Exception {
        int rate = 10;
        Duration stopAfter = Duration.ofSeconds(5);
        Duration outage = Duration.ofSeconds(FaultMesh.FULL ? 20 : 8);
        Duration loadFor = stopAfter.plus(outage).plusSeconds(FaultMesh.FULL ? 30 : 12);
        Map<String, Long> pids = new HashMap<>();
        mesh.mesh.processes().forEach(process -> pids.put(process.name(), process.pid()));
        int actuationsBefore = mesh.actuations(DOORS);
        Instant since = Instant.now();
        Instant[] restarted = new Instant[1];
        Instant[] ready = new Instant[1];
        boolean[] notReadyDuringOutage = new boolean[1];

        // The fault, then (bounded, while the load runs on) the first moment every service reports ready again.
        CompletableFuture<Void> fault = CompletableFuture.runAsync(() -> {
            FaultMesh.sleep(stopAfter.toMillis());
            postgres.stopImmediately();
            System.out.println("[fault] PostgreSQL stopped with pg_ctl -m immediate");
            FaultMesh.sleep(outage.toMillis());
            notReadyDuringOutage[0] = !mesh.allReady();
            postgres.startAgain();
            restarted[0] = Instant.now();
            System.out.println("[fault] PostgreSQL started again");
            for (int i = 0; i < 240 && Duration.between(restarted[0], Instant.now()).toSeconds() < 30; i++) {
                if (mesh.allReady()) {
                    ready[0] = Instant.now();
                    return;
                }
                FaultMesh.sleep(100);
            }
        });
        UnlockLoad load = load();
        load.run("unlocks with PostgreSQL stopped", rate, loadFor, 2_000);
        fault.get(120, TimeUnit.SECONDS);

        System.out.printf("[fault] scenario 3: outcomes %s; slowest failure %d ms; all services ready %s ms after PostgreSQL restarted%n",
                load.kinds(), load.slowestFailureMillis(), ready[0] == null ? "(not within 30 s)" : Duration.between(restarted[0], ready[0]).toMillis());
        assertTrue(notReadyDuringOutage[0], "readiness reported the outage");
        assertTrue(ready[0] != null, "every service is ready again within 30 s of PostgreSQL's restart");
        for (ServiceProcess process : mesh.mesh.processes()) {
            assertEquals(pids.get(process.name()), process.pid(), process.name() + " was not restarted");
            assertTrue(process.isAlive(), process.name() + " still runs");
        }
        Duration recovered = mesh.awaitUnlockSucceeds("Front entrance", Duration.ofSeconds(30));
        System.out.printf("[fault] scenario 3: an unlock succeeds %d ms after the readiness check%n", recovered.toMillis());

        // During the outage: fast, clean refusals (503), never a hang until the client's timeout.
        Map<String, Long> kinds = load.kinds();
        for (String kind : kinds.keySet()) {
            assertTrue(kind.equals("ok") || kind.equals("http 503"), "an unlock succeeds or is refused with 503: " + kinds);
        }
        assertTrue(load.slowestFailureMillis() < 5_000, "refused fast: slowest " + load.slowestFailureMillis() + " ms");
        assertTrue(kinds.getOrDefault("http 503", 0L) > 0, "the outage was felt: " + kinds);

        // Nothing half-written: every attempt's state matches its committed events and command fields.
        List<String> attemptIds = ledger.attemptIdsSince(since);
        Map<String, Long> statuses = assertNoHalfWrittenAttempt(attemptIds, load);
        System.out.printf("[fault] scenario 3: %d attempts recorded, by status %s%n", attemptIds.size(), statuses);
        int actuations = mesh.actuations(DOORS) - actuationsBefore;
        long succeeded = statuses.getOrDefault("SUCCEEDED", 0L);
        long withCommand = statuses.entrySet().stream().filter(entry -> WITH_COMMAND.contains(entry.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        System.out.printf("[fault] scenario 3: locks moved %d times; %d attempts succeeded, %d carried a command%n",
                actuations, succeeded, withCommand);
        assertTrue(actuations >= succeeded && actuations <= withCommand,
                "every succeeded attempt moved its lock, and every movement belongs to a recorded command: " + actuations);

        EventLedger.Comparison comparison = ledger.awaitExactlyOnce(attemptIds, ARRIVAL);
        assertTrue(comparison.exactlyOnce(), comparison.problems().toString());
    }

    /**
     * Scenario 7: SIGTERM to command-service under load → in-flight requests finish, nothing is duplicated. So that
     * unlocks are surely in flight at the SIGTERM, the lock simulator is stalled (SIGSTOP) from 1 s before it to
     * 0.5 s after: the unlocks sent meanwhile wait for their lock's acknowledgement (at most 7 s) while command-service
     * shuts down.
     */
    @Test
    @Order(2)
    void aTerminatedCommandServiceFinishesItsInFlightUnlocksAndDuplicatesNothing() throws Exception {
        int rate = 10;
        Duration termAfter = Duration.ofSeconds(4);
        int actuationsBefore = mesh.actuations(DOORS);
        Instant since = Instant.now();
        ServiceProcess command = mesh.process("command-service");
        ServiceProcess simulator = mesh.process("lock-simulator");
        long[] terminatedAtMillis = new long[1];
        long[] exitedAfterMillis = new long[1];

        // The client waits longer than command-service's 10 s shutdown grace, so the server, not the client, decides.
        UnlockLoad load = new UnlockLoad(mesh.layout.commandUrl(), DOORS.stream().map(mesh::door).toList(), mesh.token(), Duration.ofSeconds(20));
        long loadStart = System.nanoTime();
        CompletableFuture<Void> fault = CompletableFuture.runAsync(() -> {
            FaultMesh.sleep(termAfter.toMillis() - 1_000);
            FaultMesh.signal(simulator.pid(), "STOP");
            try {
                FaultMesh.sleep(1_000);
                terminatedAtMillis[0] = (System.nanoTime() - loadStart) / 1_000_000;
                FaultMesh.signal(command.pid(), "TERM");
                FaultMesh.sleep(500);
            } finally {
                FaultMesh.signal(simulator.pid(), "CONT");
            }
            ProcessHandle handle = ProcessHandle.of(command.pid()).orElseThrow();
            try {
                handle.onExit().get(40, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("command-service did not exit within 40 s of SIGTERM", e);
            }
            exitedAfterMillis[0] = (System.nanoTime() - loadStart) / 1_000_000 - terminatedAtMillis[0];
        });
        load.run("unlocks with command-service terminated", rate, Duration.ofSeconds(8), 2_000);
        fault.get(60, TimeUnit.SECONDS);
        assertFalse(command.isAlive());

        // The load's clock starts a moment after loadStart: an outcome sent before the SIGTERM (minus that slack) was in flight or done.
        List<UnlockLoad.Outcome> before = load.outcomes().stream().filter(o -> o.sentAtMillis() < terminatedAtMillis[0] - 50).toList();
        Map<String, Long> beforeKinds = new TreeMap<>(before.stream().collect(Collectors.groupingBy(UnlockLoad.Outcome::kind, Collectors.counting())));
        List<UnlockLoad.Outcome> inFlight = before.stream().filter(o -> o.sentAtMillis() + o.millis() > terminatedAtMillis[0]).toList();
        Map<String, Long> after = new TreeMap<>(load.outcomes().stream().filter(o -> o.sentAtMillis() > terminatedAtMillis[0] + 50)
                .collect(Collectors.groupingBy(UnlockLoad.Outcome::kind, Collectors.counting())));
        System.out.printf("[fault] scenario 7: SIGTERM at %d ms, exited %d ms later; sent before: %s, of them in flight at SIGTERM: %d; "
                + "sent after: %s%n", terminatedAtMillis[0], exitedAfterMillis[0], beforeKinds, inFlight.size(), after);
        assertTrue(inFlight.size() >= 3, "unlocks were in flight at the SIGTERM: " + inFlight.size());
        assertEquals(Map.of("ok", (long) before.size()), beforeKinds, "every unlock sent before SIGTERM finished");
        for (String kind : after.keySet()) {
            assertTrue(kind.equals("ok") || kind.equals("http 503") || kind.equals("ConnectException") || kind.equals("IOException"),
                    "an unlock sent after the SIGTERM completes or is refused (503, or the port or connection is closed), "
                            + "never a 500 or a hang: " + after);
        }

        Instant start = Instant.now();
        mesh.mesh.restart("command-service");
        System.out.printf("[fault] scenario 7: command-service ready again (locks connected) in %d ms%n",
                Duration.between(start, Instant.now()).toMillis());

        // Clients retry what failed with the same Idempotency-Key: an attempt that exists comes back, none is doubled.
        List<UnlockLoad.Outcome> failed = load.outcomes().stream().filter(o -> !o.ok()).toList();
        List<String> retriedStatuses = new ArrayList<>();
        for (UnlockLoad.Outcome outcome : failed) {
            var retried = mesh.unlockDoor(outcome.doorId(), outcome.idempotencyKey());
            retriedStatuses.add(String.valueOf(retried.statusCode()));
            if (outcome.attemptId() != null) {
                assertEquals(outcome.attemptId(), FaultMesh.json(retried.body()).path("id").asText(), "the retry returns its attempt");
            }
        }
        System.out.printf("[fault] scenario 7: %d failed unlocks retried after the restart: %s%n", failed.size(),
                retriedStatuses.stream().collect(Collectors.groupingBy(status -> status, TreeMap::new, Collectors.counting())));

        List<String> attemptIds = ledger.attemptIdsSince(since);
        Map<String, Long> statuses = assertNoHalfWrittenAttempt(attemptIds, load);
        assertEquals(load.outcomes().size(), attemptIds.size(), "one attempt per Idempotency-Key, retries included: " + statuses);
        EventLedger.Comparison comparison = ledger.awaitExactlyOnce(attemptIds, ARRIVAL);
        assertTrue(comparison.exactlyOnce(), comparison.problems().toString());
        assertEquals(actuationsBefore + statuses.getOrDefault("SUCCEEDED", 0L), mesh.actuations(DOORS),
                "each succeeded attempt moved its lock once, and nothing else did: " + statuses);
    }

    /**
     * Every attempt has one unlock_requested; a decided one one unlock_decided; one with a command all of its
     * fields and one unlock_dispatched, a succeeded one one unlock_acknowledged; one without a command none of
     * its fields; no lock counter is used twice; every unlock the client saw succeed is SUCCEEDED. Returns the
     * attempts by status.
     */
    private static Map<String, Long> assertNoHalfWrittenAttempt(List<String> attemptIds, UnlockLoad load) throws Exception {
        List<EventLedger.Attempt> attempts = ledger.attempts(attemptIds);
        assertEquals(attemptIds.size(), attempts.size());
        Map<String, Map<String, Long>> events = new HashMap<>();
        for (EventLedger.Event event : ledger.outbox(attemptIds)) {
            events.computeIfAbsent(event.attemptId(), id -> new HashMap<>()).merge(event.type(), 1L, Long::sum);
        }
        Map<String, String> statusOf = new HashMap<>();
        Map<String, Long> counters = new HashMap<>();
        for (EventLedger.Attempt attempt : attempts) {
            statusOf.put(attempt.id(), attempt.status());
            Map<String, Long> types = events.getOrDefault(attempt.id(), Map.of());
            String what = attempt.id() + " (" + attempt.status() + ", events " + types + ")";
            assertEquals(1L, types.getOrDefault("unlock_requested", 0L), what);
            if (!attempt.status().equals("REQUESTED")) {
                assertEquals(1L, types.getOrDefault("unlock_decided", 0L), what);
            }
            if (WITH_COMMAND.contains(attempt.status())) {
                assertTrue(attempt.commandComplete(), "a dispatched command has all its fields: " + what);
                assertEquals(1L, types.getOrDefault("unlock_dispatched", 0L), what);
            }
            if (WITHOUT_COMMAND.contains(attempt.status())) {
                assertFalse(attempt.commandPartial(), "an attempt without a command has none of its fields: " + what);
                assertEquals(0L, types.getOrDefault("unlock_dispatched", 0L), what);
            }
            if (attempt.commandPartial()) {
                assertTrue(attempt.commandComplete(), "command fields are written together: " + what);
            }
            if (attempt.status().equals("SUCCEEDED")) {
                assertEquals(1L, types.getOrDefault("unlock_acknowledged", 0L), what);
            }
            if (attempt.counter() != null) {
                Long earlier = counters.put(attempt.lockId() + "/" + attempt.counter(), 1L);
                assertEquals(null, earlier, "lock counter used twice: " + what);
            }
        }
        for (UnlockLoad.Outcome outcome : load.outcomes()) {
            if (outcome.ok()) {
                assertEquals("SUCCEEDED", statusOf.get(outcome.attemptId()), "the client saw " + outcome.attemptId() + " succeed");
            }
        }
        return new TreeMap<>(attempts.stream().collect(Collectors.groupingBy(EventLedger.Attempt::status, Collectors.counting())));
    }
}
