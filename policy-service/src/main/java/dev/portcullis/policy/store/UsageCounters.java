package dev.portcullis.policy.store;

import dev.portcullis.policy.engine.Usage;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counters decisions read. Uses of use-limited grants live in the database ({@code grant_use}) and
 * are consumed atomically on permit; this replica remembers the counts it last saw so the engine can
 * skip an exhausted grant. Recent permits per subject (the rate limit) are counted in memory, per
 * replica: with N replicas a subject can get up to N times the limit in the worst case.
 */
@ApplicationScoped
public class UsageCounters {

    private static final Duration LONGEST_WINDOW = Duration.ofDays(1);

    @Inject
    Pool pool;

    private final Map<UUID, Integer> uses = new ConcurrentHashMap<>();
    private final Map<String, Deque<Instant>> permits = new ConcurrentHashMap<>();

    /** What the engine reads for one organization. */
    public Usage view(UUID organizationId) {
        return new Usage() {
            @Override
            public int usesOf(UUID grantId) {
                return uses.getOrDefault(grantId, 0);
            }

            @Override
            public int permitsOf(String subjectId, Instant at, Duration window) {
                Deque<Instant> recent = permits.get(organizationId + "/" + subjectId);
                if (recent == null) {
                    return 0;
                }
                Instant from = at.minus(window);
                synchronized (recent) {
                    return (int) recent.stream().filter(t -> t.isAfter(from) && !t.isAfter(at)).count();
                }
            }
        };
    }

    public void recordPermit(UUID organizationId, String subjectId, Instant at) {
        Deque<Instant> recent = permits.computeIfAbsent(organizationId + "/" + subjectId, k -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(at);
            Instant horizon = at.minus(LONGEST_WINDOW);
            while (!recent.isEmpty() && recent.peekFirst().isBefore(horizon)) {
                recent.pollFirst();
            }
        }
    }

    /**
     * Consumes one use of the grant if its limit allows: true when consumed. Atomic across replicas: the
     * row is updated only while {@code used < max_uses}.
     */
    public Uni<Boolean> consume(UUID grantId) {
        return pool.preparedQuery("INSERT INTO grant_use (grant_id, used) SELECT id, 1 FROM access_grant WHERE id = $1 AND max_uses >= 1 "
                        + "ON CONFLICT (grant_id) DO UPDATE SET used = grant_use.used + 1 "
                        + "WHERE grant_use.used < (SELECT max_uses FROM access_grant WHERE id = $1) RETURNING used")
                .execute(Tuple.of(grantId))
                .flatMap(rows -> {
                    if (rows.rowCount() == 1) {
                        uses.put(grantId, rows.iterator().next().getInteger("used"));
                        return Uni.createFrom().item(true);
                    }
                    return pool.preparedQuery("SELECT used FROM grant_use WHERE grant_id = $1").execute(Tuple.of(grantId))
                            .invoke(found -> found.forEach(row -> uses.put(grantId, row.getInteger("used"))))
                            .replaceWith(false);
                });
    }

    /** Reads the organization's use counts (when its policy is loaded). */
    Uni<Void> loadUses(UUID organizationId) {
        return pool.preparedQuery("SELECT u.grant_id, u.used FROM grant_use u JOIN access_grant g ON g.id = u.grant_id "
                        + "WHERE g.organization_id = $1")
                .execute(Tuple.of(organizationId))
                .invoke(rows -> rows.forEach(row -> uses.put(row.getUUID("grant_id"), row.getInteger("used"))))
                .replaceWithVoid();
    }
}
