package dev.portcullis.kit.outbox;

import com.google.protobuf.MessageLite;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.PanacheRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Appends events to the outbox. Call it inside the transaction that makes the state change the
 * event describes ({@code @WithTransaction} on the service method): both commit or neither does.
 * The row keeps the W3C trace context of the request that wrote it, so the relay's publish (later, on
 * another thread) and every consumer's span join that request's trace.
 */
@ApplicationScoped
public class Outbox implements PanacheRepository<OutboxEvent> {

    /**
     * @param topic     Kafka topic
     * @param key       record key: the aggregate the event is about, so its events stay ordered
     * @param eventId   the event's id, also carried inside {@code event}; consumers deduplicate on it
     * @param eventType a short name for operators (e.g. "unlock_dispatched")
     * @param event     the serialized contract message (an {@code EventEnvelope})
     */
    @WithSession
    public Uni<OutboxEvent> append(String topic, String key, UUID eventId, String eventType, MessageLite event) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = eventId;
        row.topic = topic;
        row.recordKey = key;
        row.eventType = eventType;
        row.payload = event.toByteArray();
        row.createdAt = OffsetDateTime.now(ZoneOffset.UTC);
        TraceContext.capture(row);
        return persist(row);
    }
}
