package dev.portcullis.registry.shadow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.proto.events.v1.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A shadow update PostgreSQL rolled back as a deadlock victim is applied on a retry, not dropped. */
class LockTopicConsumerRetryTest {

    static final class FailingShadows extends LockShadows {
        final AtomicInteger attempts = new AtomicInteger();
        final int failures;
        final String sqlState;

        FailingShadows(int failures, String sqlState) {
            this.failures = failures;
            this.sqlState = sqlState;
        }

        @Override
        public Uni<Boolean> apply(EventEnvelope envelope) {
            return Uni.createFrom().deferred(() -> attempts.incrementAndGet() <= failures
                    ? Uni.createFrom().failure(new PgException("deadlock detected", "ERROR", sqlState, null))
                    : Uni.createFrom().item(true));
        }
    }

    private static int consume(FailingShadows shadows) {
        LockTopicConsumer consumer = new LockTopicConsumer();
        consumer.shadows = shadows;
        consumer.consume(EventEnvelope.newBuilder().setEventId("e1").build().toByteArray()).await().indefinitely();
        return shadows.attempts.get();
    }

    @Test
    void aDeadlockVictimIsRetriedUntilItApplies() {
        assertEquals(3, consume(new FailingShadows(2, "40P01")));
    }

    @Test
    void aSerializationFailureIsRetriedToo() {
        assertEquals(2, consume(new FailingShadows(1, "40001")));
    }

    @Test
    void otherFailuresAreNotRetried() {
        assertEquals(1, consume(new FailingShadows(1, "23505")), "a constraint violation would fail the same way again");
    }
}
