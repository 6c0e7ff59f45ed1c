package dev.portcullis.load;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Audit ingest through the mesh: events go in at one end (a simulated lock reports them, command-service
 * records and publishes them through its outbox to Kafka) and are counted at the other, as rows of
 * audit-service's {@code audit_entry} (chained entries). The rate is events over the time from the
 * burst's first send until the last of them was stored.
 */
final class AuditIngest {

    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);
    /** How long after the burst's planned end its entries may still arrive. */
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(60);

    private AuditIngest() {
    }

    record Ingest(long events, long stored, double seconds) {

        double perSecond() {
            return stored / seconds;
        }

        boolean complete() {
            return stored >= events;
        }

        String describe(String phase) {
            return String.format(Locale.ROOT, "audit ingest (%s): %,d events sent, %,d stored %s %.2f s after the first send: "
                    + "**%.0f events/s** end to end", phase, events, stored, complete() ? "all" : "(incomplete at the timeout)",
                    seconds, perSecond());
        }
    }

    /** The entry count once nothing more arrives (unchanged for 1.5 s), so that a burst is counted from a still log. */
    static long settled(LoadMesh mesh) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        long last = mesh.auditEntries();
        int unchanged = 0;
        while (unchanged < 3 && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(500);
            long now = mesh.auditEntries();
            unchanged = now == last ? unchanged + 1 : 0;
            last = now;
        }
        return last;
    }

    /**
     * Sends a burst and counts, while it runs, what audit-service has stored: waits (bounded) until as many
     * entries as events were accepted have arrived; the time runs from the first send to the last arrival.
     */
    static Burst burst(LoadMesh mesh, String label, int rate, Duration length, int maxInFlight, Supplier<CompletableFuture<String>> event)
            throws SQLException, InterruptedException {
        long before = settled(mesh);
        long firstSend = System.nanoTime();
        CompletableFuture<OpenLoop.Result> sending = CompletableFuture.supplyAsync(() -> OpenLoop.run(label, rate, length, maxInFlight, event));
        long expected = (long) rate * length.toSeconds();
        long deadline = firstSend + length.toNanos() + STORE_TIMEOUT.toNanos();
        long stored = 0;
        long storedAt = firstSend;
        while (System.nanoTime() < deadline) {
            if (sending.isDone()) {
                expected = sending.join().ok();
            }
            if (stored >= expected) {
                break;
            }
            TimeUnit.MILLISECONDS.sleep(50);
            long now = mesh.auditEntries() - before;
            if (now != stored) {
                stored = now;
                storedAt = System.nanoTime();
            }
        }
        OpenLoop.Result sent = sending.join();
        return new Burst(sent, new Ingest(sent.ok(), Math.min(stored, sent.ok()), (storedAt - firstSend) / 1e9));
    }

    record Burst(OpenLoop.Result sent, Ingest ingest) {
    }
}
