package dev.portcullis.audit.ingest;

import dev.portcullis.kit.problem.ProblemMappers;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.Executor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes every event topic (channel {@code audit-events}). A record is acknowledged, and so its
 * offset may be committed, only once the returned {@link Uni} completes, i.e. after its entry (or
 * dead letter) is committed in PostgreSQL: at-least-once, and the chain deduplicates by event id.
 *
 * <p>Failures: an unreachable database is waited out (retries with back-off, the partition does not
 * move on); any other failure is retried {@code portcullis.audit.ingest.max-attempts} times, then the
 * record is kept as a dead letter so one bad record never stops the log.
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
    public Uni<Void> consume(ConsumerRecord<String, byte[]> record) {
        ReceivedRecord received = new ReceivedRecord(record.topic(), record.partition(), record.offset(), record.value());
        Executor onContext = onCurrentContext();
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
                        .withBackOff(config.retryInitialBackoff(), config.retryMaxBackoff()).indefinitely())
                .emitOn(onContext);
    }

    /** Retries resubscribe on the record's Vert.x context, where Hibernate Reactive sessions live. */
    private static Executor onCurrentContext() {
        Context context = Vertx.currentContext();
        return context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
    }
}
