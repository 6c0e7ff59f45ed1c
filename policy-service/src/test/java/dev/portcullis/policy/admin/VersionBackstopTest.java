package dev.portcullis.policy.admin;

import static dev.portcullis.policy.admin.PolicyFixtures.authorize;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.policy.decision.AuthorizeTest;
import dev.portcullis.policy.decision.TestClock;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.proto.policy.v1.Reason;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/** The periodic version check: a change whose PolicyChanged event never arrives still reaches decisions. */
@QuarkusTest
@TestProfile(VersionBackstopTest.ShortBackstop.class)
class VersionBackstopTest {

    private static final Logger LOG = Logger.getLogger(VersionBackstopTest.class);

    /** The seeded service with a version check every second. */
    public static class ShortBackstop extends AuthorizeTest.Seeded {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("portcullis.policy.cache.version-check-interval", "1s");
            return overrides;
        }
    }

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @Test
    void aChangeWrittenWithoutAnEventIsPickedUpWithinTheCheckInterval() {
        clock.set(Instant.now());
        PolicyFixtures f = new PolicyFixtures();
        UUID grant = f.grantTo("yuri");
        assertEquals(Decision.DECISION_PERMIT, authorize(policy, f.org, "yuri", f.door).getDecision());

        // Another replica revokes the grant and its event is lost: only the database knows.
        pool.withTransaction(c -> c.preparedQuery("DELETE FROM access_grant WHERE id = $1").execute(Tuple.of(grant))
                .flatMap(x -> c.preparedQuery("UPDATE policy_version SET version = version + 1 WHERE organization_id = $1")
                        .execute(Tuple.of(f.org)))).await().indefinitely();
        long start = System.nanoTime();

        // Interval 1 s: the next check (at most 1 s away) drops the cached policy.
        await().atMost(Duration.ofMillis(2500)).pollInterval(Duration.ofMillis(50))
                .until(() -> authorize(policy, f.org, "yuri", f.door).getDecision() == Decision.DECISION_DENY);
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.infof("version check picked up the change after %d ms", millis);
        assertEquals(List.of(Reason.REASON_NO_GRANT), authorize(policy, f.org, "yuri", f.door).getReasonsList());
        assertTrue(millis < 2500);
    }
}
