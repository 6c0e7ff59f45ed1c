package dev.portcullis.identity.partner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestClock;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The single-use JWT id store: one winner under concurrency, per kind and issuer, purged after expiry. */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class UsedJtisTest {

    @Inject
    UsedJtis jtis;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    boolean firstUse(String kind, String issuer, String jti, Instant expiresAt) {
        return Partners.await(() -> jtis.firstUse(kind, issuer, jti, expiresAt));
    }

    @Test
    void concurrentFirstUsesHaveExactlyOneWinner() throws Exception {
        String jti = UUID.randomUUID().toString();
        Instant expiry = Instant.now().plusSeconds(60);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                calls.add(() -> firstUse(UsedJtis.DPOP_PROOF, "key-a", jti, expiry));
            }
            int winners = 0;
            for (Future<Boolean> result : pool.invokeAll(calls)) {
                winners += result.get() ? 1 : 0;
            }
            assertEquals(1, winners);
        } finally {
            pool.shutdownNow();
        }
        // The same id is independent per issuer and per kind.
        assertTrue(firstUse(UsedJtis.DPOP_PROOF, "key-b", jti, expiry));
        assertTrue(firstUse(UsedJtis.CLIENT_ASSERTION, "key-a", jti, expiry));
    }

    @Test
    void expiredIdsArePurged() {
        String jti = UUID.randomUUID().toString();
        assertTrue(firstUse(UsedJtis.CLIENT_ASSERTION, "client-x", jti, Instant.now().plusSeconds(30)));
        Partners.await(jtis::purgeExpired);
        assertFalse(firstUse(UsedJtis.CLIENT_ASSERTION, "client-x", jti, Instant.now().plusSeconds(30)), "not yet expired: kept");
        clock.advance(Duration.ofMinutes(2));
        Partners.await(jtis::purgeExpired);
        assertTrue(firstUse(UsedJtis.CLIENT_ASSERTION, "client-x", jti, Instant.now().plusSeconds(30)), "purged after expiry");
    }
}
