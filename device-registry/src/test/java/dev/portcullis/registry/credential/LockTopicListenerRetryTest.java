package dev.portcullis.registry.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockCredentialsReported;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A lock's credential report that PostgreSQL rolled back as a deadlock victim (it raced a sync of the same lock) is
 * reconciled on a retry, not dropped: a dropped report leaves what the lock got locally on the lock.
 */
class LockTopicListenerRetryTest {

    static final class FailingReconciliation extends Reconciliation {
        final AtomicInteger attempts = new AtomicInteger();
        final int failures;
        final String sqlState;

        FailingReconciliation(int failures, String sqlState) {
            this.failures = failures;
            this.sqlState = sqlState;
        }

        @Override
        public Uni<Findings> reported(UUID organization, UUID lockId, List<UUID> reportedIds, byte[] reportedDigest) {
            return Uni.createFrom().deferred(() -> attempts.incrementAndGet() <= failures
                    ? Uni.createFrom().failure(new PgException("deadlock detected", "ERROR", sqlState, null))
                    : Uni.createFrom().item(new Findings(java.util.Set.of(), java.util.Set.of(), java.util.Set.of(), false)));
        }
    }

    private static int consume(FailingReconciliation reconciliation) {
        LockTopicListener listener = new LockTopicListener();
        listener.reconciliation = reconciliation;
        EventEnvelope report = EventEnvelope.newBuilder().setEventId("e1").setOrganizationId(UUID.randomUUID().toString())
                .setLockCredentialsReported(LockCredentialsReported.newBuilder().setLockId(UUID.randomUUID().toString())
                        .addCredentialIds(UUID.randomUUID().toString()))
                .build();
        listener.consume(report.toByteArray()).await().indefinitely();
        return reconciliation.attempts.get();
    }

    @Test
    void aDeadlockVictimIsReconciledAgain() {
        assertEquals(3, consume(new FailingReconciliation(2, "40P01")));
    }

    @Test
    void otherFailuresAreLoggedNotRetried() {
        assertEquals(1, consume(new FailingReconciliation(1, "23505")));
    }
}
