package dev.portcullis.registry.admin;

import com.google.protobuf.Timestamp;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.SqlClient;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Registry events (topic portcullis.registry.v1) written to the outbox in the caller's transaction, so
 * the change and its event commit together; service-kit's relay publishes them.
 */
public final class Events {

    public static final String TOPIC = "portcullis.registry.v1";
    public static final String SOURCE = "device-registry";

    private Events() {
    }

    /** Who caused it: an operator (subject) or the registry itself. */
    public record Cause(ActorType type, String id) {
        public static Cause operator(String subject) {
            return new Cause(ActorType.ACTOR_TYPE_USER, subject);
        }

        public static final Cause REGISTRY = new Cause(ActorType.ACTOR_TYPE_SERVICE, SOURCE);
    }

    /** @param key the record key: the aggregate (lock, door) whose events must stay in order */
    public static Uni<Integer> append(SqlClient client, UUID organization, String key, String type, Cause cause, Instant at,
            Consumer<EventEnvelope.Builder> payload) {
        UUID eventId = UUID.randomUUID();
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(organization.toString())
                .setOccurredAt(timestamp(at))
                .setActor(Actor.newBuilder().setType(cause.type()).setId(cause.id()).setOrganizationId(organization.toString()))
                .setSource(SOURCE);
        payload.accept(envelope);
        // the request's trace continues through the relay's publish to every consumer
        java.util.Map<String, String> trace = dev.portcullis.kit.outbox.TraceContext.current();
        return Db.exec(client, "INSERT INTO outbox_event (event_id, topic, record_key, event_type, payload, created_at, traceparent, tracestate)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", eventId, TOPIC, key, type, Buffer.buffer(envelope.build().toByteArray()),
                OffsetDateTime.ofInstant(at, ZoneOffset.UTC), trace.get("traceparent"), trace.get("tracestate"));
    }

    public static Timestamp timestamp(Instant at) {
        return Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()).build();
    }
}
