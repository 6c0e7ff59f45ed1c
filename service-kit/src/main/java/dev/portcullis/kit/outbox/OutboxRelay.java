package dev.portcullis.kit.outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Publishes outbox rows to Kafka. Rows are claimed with {@code FOR UPDATE SKIP LOCKED}, so several
 * replicas can relay at once without sending the same row concurrently; a row is marked published
 * only after Kafka acknowledged it, so a broker outage delays events but never loses them (a crash
 * between the ack and the commit re-sends: consumers deduplicate on the event id).
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private static final String CLAIM = "select * from outbox_event where published_at is null "
            + "order by id limit :limit for update skip locked";

    @Inject
    @Channel("outbox")
    MutinyEmitter<byte[]> emitter;

    @Inject
    OutboxConfig config;

    private volatile boolean lastPassFailed;

    // Quarkus' built-in scheduler fires at most once a second, so events reach Kafka within about 1 s; a poll
    // publishes batch after batch while they come back full, so the relay's rate is not capped at one batch a second.
    @Scheduled(every = "${portcullis.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "1s")
    Uni<Void> relay() {
        if (!config.relayEnabled()) {
            return Uni.createFrom().voidItem();
        }
        return drain(config.maxBatchesPerPoll())
                .invoke(n -> {
                    if (lastPassFailed) {
                        LOG.info("outbox relay recovered");
                        lastPassFailed = false;
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    if (!lastPassFailed) {
                        LOG.warnf("outbox relay paused: %s (will retry)", failure.toString());
                        lastPassFailed = true;
                    }
                    return 0;
                })
                .replaceWithVoid();
    }

    /** Publishes batches while they come back full, at most {@code batches} of them; returns how many events were published. */
    Uni<Integer> drain(int batches) {
        return publishPending().flatMap(published -> published >= config.batchSize() && batches > 1
                ? drain(batches - 1).map(more -> published + more)
                : Uni.createFrom().item(published));
    }

    /** Publishes one batch of pending events; returns how many were published. */
    public Uni<Integer> publishPending() {
        Context context = Vertx.currentContext();
        Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.createNativeQuery(CLAIM, OutboxEvent.class)
                        .setParameter("limit", config.batchSize())
                        .getResultList())
                .flatMap(rows -> rows.isEmpty()
                        ? Uni.createFrom().item(0)
                        : send(rows).emitOn(onContext).flatMap(ignored -> markPublished(rows))));
    }

    private Uni<Void> send(List<OutboxEvent> rows) {
        List<Uni<Void>> sends = rows.stream().map(this::send).toList();
        return Uni.join().all(sends).andFailFast().replaceWithVoid();
    }

    private Uni<Void> send(OutboxEvent row) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("event_id", row.eventId.toString().getBytes(StandardCharsets.UTF_8));
        headers.add("event_type", row.eventType.getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(row.topic)
                .withKey(row.recordKey)
                .withHeaders(headers)
                .build();
        Message<byte[]> message = Message.of(row.payload).addMetadata(metadata);
        // The publish span (and the traceparent header the consumer continues) hangs off the writer's span.
        return emitter.sendMessage(TraceContext.restore(row).map(context -> message.addMetadata(TracingMetadata.withCurrent(context)))
                .orElse(message));
    }

    private Uni<Integer> markPublished(List<OutboxEvent> rows) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        List<Long> ids = rows.stream().map(row -> row.id).toList();
        return Panache.getSession().flatMap(session -> session
                .createMutationQuery("update OutboxEvent set publishedAt = :now, attempts = attempts + 1 where id in :ids")
                .setParameter("now", now)
                .setParameter("ids", ids)
                .executeUpdate());
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgePublished() {
        OffsetDateTime cutoff = OffsetDateTime.now(ZoneOffset.UTC).minus(config.retention());
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                        .createMutationQuery("delete from OutboxEvent where publishedAt < :cutoff")
                        .setParameter("cutoff", cutoff)
                        .executeUpdate()))
                .onFailure().recoverWithItem(0)
                .replaceWithVoid();
    }
}
