package dev.portcullis.identity.login;

import static dev.portcullis.identity.login.LoginSecurityTest.assertRejectedPassword;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.identity.Browser;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.TestAccounts;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: unknown and known users are indistinguishable at the login form, in status, body and
 * median latency (within 10 ms over 200 tries each).
 */
@QuarkusTest
@TestProfile(IdentityTestProfile.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "identity"))
@QuarkusTestResource(KafkaResource.class)
class EnumerationTest {

    private static final Logger LOG = Logger.getLogger(EnumerationTest.class);
    private static final int TRIES = 200;
    private static final int WARM_UP = 20;

    @Inject
    TestAccounts accounts;

    @Test
    void unknownAndKnownUsersLookAndTakeTheSame() {
        // Four known accounts, 50 wrong passwords each: no lockout interferes with the measurement.
        List<TestAccounts.TestAccount> known = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            known.add(accounts.create(true));
        }
        SecureRandom random = new SecureRandom();
        Browser browser = LoginSecurityTest.startFlow();
        long[] unknownNanos = new long[TRIES];
        long[] knownNanos = new long[TRIES];
        for (int i = -WARM_UP; i < TRIES; i++) {
            // A fresh source per pair, so per-source throttling does not interfere either.
            browser.source("198.19." + ((i + WARM_UP) / 250) + "." + (1 + (i + WARM_UP) % 250));
            String wrong = "wrong-" + UUID.randomUUID();
            String unknownUser = "nobody-" + UUID.randomUUID() + "@example.test";
            String knownUser = known.get(Math.floorMod(i, known.size())).username();
            HttpResponse<String> unknown;
            HttpResponse<String> knownAnswer;
            long unknownTime;
            long knownTime;
            // Alternate the order so drift (JIT, GC, caches) does not favour either side.
            if (random.nextBoolean()) {
                long t0 = System.nanoTime();
                unknown = browser.password(unknownUser, wrong);
                long t1 = System.nanoTime();
                knownAnswer = browser.password(knownUser, wrong);
                long t2 = System.nanoTime();
                unknownTime = t1 - t0;
                knownTime = t2 - t1;
            } else {
                long t0 = System.nanoTime();
                knownAnswer = browser.password(knownUser, wrong);
                long t1 = System.nanoTime();
                unknown = browser.password(unknownUser, wrong);
                long t2 = System.nanoTime();
                knownTime = t1 - t0;
                unknownTime = t2 - t1;
            }
            assertRejectedPassword(unknown);
            assertEquals(unknown.statusCode(), knownAnswer.statusCode());
            assertEquals(unknown.body(), knownAnswer.body(), "byte-for-byte the same page");
            assertEquals(unknown.headers().map().keySet(), knownAnswer.headers().map().keySet());
            if (i >= 0) {
                unknownNanos[i] = unknownTime;
                knownNanos[i] = knownTime;
            }
        }
        double unknownMedian = median(unknownNanos) / 1e6;
        double knownMedian = median(knownNanos) / 1e6;
        LOG.infof("median latency over %d tries: unknown user %.2f ms, known user %.2f ms", TRIES, unknownMedian, knownMedian);
        assertTrue(unknownMedian > 5, "each attempt costs one Argon2id run: " + unknownMedian + " ms");
        assertTrue(Math.abs(unknownMedian - knownMedian) <= 10.0,
                "medians differ by more than 10 ms: unknown " + unknownMedian + " ms, known " + knownMedian + " ms");
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
