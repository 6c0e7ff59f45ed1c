package dev.portcullis.registry.ownership;

import com.google.protobuf.Timestamp;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.enrollment.EnrollmentService;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;
import java.util.function.Consumer;

/** Lifecycle events into the registry topic through the outbox, in the caller's transaction. */
@ApplicationScoped
public class LifecycleEvents {

    @Inject
    Outbox outbox;

    /**
     * Appends one event of {@code organization}, keyed by the lock, done by the operator.
     *
     * @param payload sets the envelope's payload
     */
    public Uni<Void> append(UUID organization, UUID lockId, String eventType, Operator by, OffsetDateTime at,
            Consumer<EventEnvelope.Builder> payload) {
        UUID eventId = UUID.randomUUID();
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(organization.toString())
                .setOccurredAt(timestamp(at))
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_USER).setId(by.subject())
                        .setOrganizationId(by.organizationId().toString()))
                .setSource(EnrollmentService.SOURCE);
        payload.accept(envelope);
        return outbox.append(EnrollmentService.TOPIC, lockId.toString(), eventId, eventType, envelope.build()).replaceWithVoid();
    }

    public static Timestamp timestamp(OffsetDateTime at) {
        Instant instant = at.toInstant();
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
