package dev.portcullis.policy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.policy.decision.AuthorizeTest;
import dev.portcullis.policy.decision.TestClock;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Load driver (not a test: excluded from {@code ./mvnw verify}; run with
 * {@code ./mvnw -pl policy-service verify -Pbenchmark -Dtest=PolicyGrpcBenchmark}). Loads 100k grants
 * (bulk SQL) into one organization, then drives Authorize over real gRPC at a fixed rate (open loop)
 * and writes p50/p95/p99 to {@code policy-service/target/benchmarks/policy-grpc.md}. Client and server
 * share the machine's cores.
 */
@Tag("benchmark")
@QuarkusTest
@TestProfile(AuthorizeTest.Seeded.class)
class PolicyGrpcBenchmark {

    static final int GRANTS = Integer.getInteger("bench.grants", 100_000);
    static final int SUBJECTS = 10_000;
    static final int PER_DOOR = 100;
    static final int RATE = Integer.getInteger("bench.rate", 5_000);
    static final int SECONDS = Integer.getInteger("bench.seconds", 30);
    static final int WARM_UP_SECONDS = Integer.getInteger("bench.warm-up-seconds", 5);

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    Pool pool;

    @Inject
    TestClock clock;

    @Test
    void authorizeOverGrpcWithOneHundredThousandGrants() throws Exception {
        UUID org = UUID.randomUUID();
        Instant now = Instant.now();
        clock.set(now);
        int today = now.atZone(ZoneOffset.UTC).getDayOfWeek().getValue();
        long loadStart = System.nanoTime();
        pool.withTransaction(c -> c.preparedQuery("INSERT INTO property (id, organization_id, name, time_zone) VALUES ($1, $1, 'Bench', 'UTC')")
                .execute(Tuple.of(org))
                .flatMap(x -> c.preparedQuery("INSERT INTO door (id, organization_id, property_id, name) "
                        + "SELECT md5($3 || '-door-' || d)::uuid, $1, $1, 'Door ' || d FROM generate_series(0, $2 - 1) d")
                        .execute(Tuple.of(org, GRANTS / PER_DOOR, org.toString())))
                .flatMap(x -> c.preparedQuery("INSERT INTO access_grant (id, organization_id, grantee_kind, grantee_value, door_id) "
                        + "SELECT md5($5 || '-grant-' || g)::uuid, $1, 'subject', 'subject-' || (g % $3), "
                        + "md5($5 || '-door-' || (g / $4))::uuid FROM generate_series(0, $2 - 1) g")
                        .execute(Tuple.of(org, GRANTS, SUBJECTS, PER_DOOR, org.toString())))
                .flatMap(x -> c.preparedQuery("INSERT INTO grant_window (grant_id, day_of_week, start_minute, end_minute) "
                        + "SELECT md5($1 || '-grant-' || g)::uuid, $3, 0, 1440 FROM generate_series(0, $2 - 1) g")
                        .execute(Tuple.of(org.toString(), GRANTS, today)))
                .flatMap(x -> c.preparedQuery("INSERT INTO organization_settings VALUES ($1, 1000000, 60)").execute(Tuple.of(org)))
                .flatMap(x -> c.preparedQuery("INSERT INTO policy_version VALUES ($1, 1)").execute(Tuple.of(org))))
                .await().indefinitely();
        double loadSeconds = (System.nanoTime() - loadStart) / 1e9;

        long firstStart = System.nanoTime();
        assertEquals(Decision.DECISION_PERMIT, policy.authorize(request(org, 0)).await().atMost(Duration.ofSeconds(60)).getDecision());
        double firstDecisionMs = (System.nanoTime() - firstStart) / 1e6;

        run(org, WARM_UP_SECONDS, new long[RATE * WARM_UP_SECONDS]);
        long[] latencies = new long[RATE * SECONDS];
        Result result = run(org, SECONDS, latencies);

        long[] sorted = Arrays.copyOf(latencies, result.completed());
        Arrays.sort(sorted);
        String report = String.format(Locale.ROOT, """
                # policy-service: Authorize over gRPC

                - grants loaded: %,d (%,d subjects, %,d doors, one organization); bulk load %.1f s
                - first decision (loads and indexes the snapshot): %.0f ms
                - offered load: %,d requests/s for %d s after %d s warm-up (open loop, one channel, client in the same JVM)
                - completed: %,d, permits: %,d, errors: %,d, achieved: %,.0f requests/s
                - latency: p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, max %.3f ms
                """, GRANTS, SUBJECTS, GRANTS / PER_DOOR, loadSeconds, firstDecisionMs, RATE, SECONDS, WARM_UP_SECONDS,
                result.completed(), result.permits(), result.errors(), result.completed() / result.seconds(),
                percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
        Path out = Path.of("target", "benchmarks", "policy-grpc.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report);
        System.out.println(report);
        assertEquals(result.completed(), result.permits());
    }

    record Result(int completed, int permits, int errors, double seconds) {
    }

    private Result run(UUID org, int seconds, long[] latencies) throws InterruptedException {
        int total = RATE * seconds;
        AtomicInteger completed = new AtomicInteger();
        AtomicInteger permits = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        long start = System.nanoTime();
        long interval = 1_000_000_000L / RATE;
        for (int i = 0; i < total; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 50_000) {
                LockSupport.parkNanos(wait);
            }
            AuthorizeRequest request = request(org, ThreadLocalRandom.current().nextInt(GRANTS));
            long sent = System.nanoTime();
            policy.authorize(request).subscribe().with(response -> {
                long latency = System.nanoTime() - sent;
                int slot = completed.getAndIncrement();
                latencies[slot] = latency;
                if (response.getDecision() == Decision.DECISION_PERMIT) {
                    permits.incrementAndGet();
                }
                done.countDown();
            }, failure -> {
                errors.incrementAndGet();
                done.countDown();
            });
        }
        done.await(60, TimeUnit.SECONDS);
        return new Result(completed.get(), permits.get(), errors.get(), (System.nanoTime() - start) / 1e9);
    }

    private static AuthorizeRequest request(UUID org, int grant) {
        return AuthorizeRequest.newBuilder().setOrganizationId(org.toString()).setSubjectId("subject-" + (grant % SUBJECTS))
                .setDoorId(doorId(org, grant / PER_DOOR).toString()).setAction(LockAction.LOCK_ACTION_UNLOCK).build();
    }

    /** The same id as {@code md5(org || '-door-' || n)::uuid} in PostgreSQL. */
    private static UUID doorId(UUID org, int n) {
        try {
            byte[] md5 = java.security.MessageDigest.getInstance("MD5")
                    .digest((org + "-door-" + n).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (md5[i] & 0xff);
                low = (low << 8) | (md5[i + 8] & 0xff);
            }
            return new UUID(high, low);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double percentile(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
