package dev.portcullis.identity.password;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The bound on Argon2id work that keeps a burst of sign-ins from exhausting the heap. */
class HashingGateTest {

    @Test
    void aBurstBeyondTheBoundIsRefusedAtOnceAndAdmittedWorkRunsAtMostNAtATime() throws Exception {
        HashingGate gate = new HashingGate(2, 3);
        int burst = 12;
        List<Boolean> admitted = new ArrayList<>();
        for (int i = 0; i < burst; i++) {
            admitted.add(gate.admit());
        }
        assertEquals(5, admitted.stream().filter(a -> a).count(), "2 running + 3 waiting");
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        ExecutorService workers = Executors.newFixedThreadPool(5);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                results.add(workers.submit(() -> {
                    try {
                        return gate.run(() -> {
                            started.countDown();
                            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.sleep(50);
                            running.decrementAndGet();
                            return 1;
                        });
                    } finally {
                        gate.leave();
                    }
                }));
            }
            assertTrue(started.await(5, TimeUnit.SECONDS));
            int done = 0;
            for (Future<Integer> result : results) {
                done += result.get(10, TimeUnit.SECONDS);
            }
            assertEquals(5, done, "every admitted run completes");
            assertEquals(2, peak.get(), "never more than 2 at once");
        } finally {
            workers.shutdownNow();
        }
        // all left: the gate admits again
        assertTrue(gate.admit());
        gate.leave();
        HashingGate full = new HashingGate(1, 0);
        assertTrue(full.admit());
        assertFalse(full.admit(), "one running, none waiting: the next is refused");
    }
}
