package dev.portcullis.command.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.StringValue;
import dev.portcullis.command.support.PeerServices;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The outbox relay keeps up with more than one batch per poll: with batches of 20, 400 events written at
 * once are published batch after batch in the same poll, not one batch per second (20 s).
 */
@QuarkusTest
@TestProfile(OutboxDrainTest.SmallBatches.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class OutboxDrainTest {

    public static class SmallBatches implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.outbox.batch-size", "20");
        }
    }

    private static final int EVENTS = 400;

    @Inject
    Outbox outbox;

    @Test
    void aBacklogOfManyBatchesIsPublishedBatchAfterBatchNotOneBatchPerSecond() throws Throwable {
        awaitNothingPending(10_000);
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> {
            Uni<?> chain = Uni.createFrom().voidItem();
            List<Integer> numbers = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                numbers.add(i);
            }
            for (int i : numbers) {
                chain = chain.flatMap(ignored -> outbox.append("portcullis.lock.v1", "drain-test", UUID.randomUUID(), "DrainTest",
                        StringValue.of("event " + i)));
            }
            return chain;
        }));
        long written = System.nanoTime();
        long millis = awaitNothingPending(15_000);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - written);
        System.out.printf("[outbox] %d events in batches of 20 published %d ms after they were written%n", EVENTS, took);
        assertEquals(0, pending(), "every event was published");
        // One batch per poll would take 20 s; a busy 2-core machine needs up to a few seconds for the 20 batches.
        assertTrue(millis < 10_000, "published batch after batch, not one batch per second (which takes 20 s): " + took + " ms");
    }

    /** Waits until no event is pending; returns how long that took. */
    private long awaitNothingPending(long timeoutMillis) throws Throwable {
        long start = System.nanoTime();
        while (pending() > 0 && TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < timeoutMillis) {
            Thread.sleep(50);
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private long pending() throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery("select count(*) from outbox_event where published_at is null", Long.class).getSingleResult())));
    }
}
