package dev.portcullis.audit.ingest;

import dev.portcullis.kit.problem.ProblemMappers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Executor;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes every event topic (channel {@code audit-events}), a Kafka poll's records at a time. The batch
 * is acknowledged, and so its offsets may be committed, only once the returned {@link Uni} completes,
 * i.e. after its entries (and dead letters) are committed in PostgreSQL: at-least-once, and the chain
 * deduplicates by event id. The batch's events are appended in one transaction ({@link Ingestor#ingestAll}).
 *
 * <p>Failures: an unreachable database is waited out (retries with back-off, the partitions do not
 * move on). Any other failure of the batch's transaction falls back to recording its records one by one,
 * each retried {@code portcullis.audit.ingest.max-attempts} times and then kept as a dead letter, so one
 * bad record never stops the log nor takes the good records of its batch with it.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    @Inject
    Ingestor ingestor;

    @Inject
    DeadLetters deadLetters;

    @Inject
    IngestConfig config;

    @Incoming("audit-events")
    public Uni<Void> consume(ConsumerRecords<String, byte[]> records) {
        List<ReceivedRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            batch.add(new ReceivedRecord(record.topic(), record.partition(), record.offset(), record.value()));
        }
        Executor onContext = onCurrentContext();
        return Uni.createFrom().deferred(() -> ingestor.ingestAll(batch))
                .runSubscriptionOn(onContext)
                .onFailure(ProblemMappers::isUnavailable).invoke(failure -> LOG.warnf("could not record a batch of %d records yet: %s"
                        + " (retrying)", batch.size(), failure.toString()))
                .onFailure(ProblemMappers::isUnavailable).retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff()).indefinitely()
                .onFailure().recoverWithUni(failure -> {
                    LOG.warnf("a batch of %d records could not be recorded at once (%s); recording them one by one", batch.size(),
                            failure.toString());
                    Uni<Void> oneByOne = Uni.createFrom().voidItem();
                    for (ReceivedRecord received : batch) {
                        oneByOne = oneByOne.chain(() -> consumeOne(received, onContext));
                    }
                    return oneByOne;
                })
                .emitOn(onContext);
    }

    /** One record on its own: retried, and kept as a dead letter when it cannot be recorded. */
    private Uni<Void> consumeOne(ReceivedRecord received, Executor onContext) {
        Uni<Void> once = Uni.createFrom().deferred(() -> ingestor.ingest(received))
                .runSubscriptionOn(onContext)
                .onFailure().invoke(failure -> LOG.warnf("could not record %s yet: %s (retrying)", received.describe(),
                        failure.toString()));
        return once
                .onFailure(ProblemMappers::isUnavailable).retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff()).indefinitely()
                .onFailure().retry()
                .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff()).atMost(Math.max(0, config.maxAttempts() - 1))
                .onFailure().recoverWithUni(failure -> Uni.createFrom()
                        .deferred(() -> deadLetters.park(received, "could not be recorded: " + failure.getClass().getName()))
                        .runSubscriptionOn(onContext)
                        .onFailure().retry()
                        .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff()).indefinitely());
    }

    /** Retries resubscribe on the record's Vert.x context, where Hibernate Reactive sessions live. */
    private static Executor onCurrentContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }
}
