package dev.portcullis.policy.store;

import com.google.protobuf.Timestamp;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.policy.version.PolicyVersionRepository;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.PolicyChanged;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Records one change of an organization's policy inside the transaction that makes it: bumps the
 * version, writes the history row ({@code policy_change}, with before/after as JSON) and appends the
 * {@code PolicyChanged} event to the outbox (topic {@code portcullis.policy.v1}). All commit or none.
 */
@ApplicationScoped
public class PolicyChanges {

    public static final String TOPIC = "portcullis.policy.v1";

    @Inject
    PolicyVersionRepository versions;

    @Inject
    Outbox outbox;

    @Inject
    Clock clock;

    public record Change(UUID organizationId, String entityType, String entityId, String operation, String actor, String summary,
            String before, String after) {
    }

    /** Call inside the transaction of the change; the version it produced. */
    public Uni<Long> record(Change change) {
        Instant at = clock.instant();
        return versions.bump(change.organizationId()).flatMap(version -> Panache.getSession().flatMap(session -> session
                        .createNativeQuery("INSERT INTO policy_change (organization_id, version, entity_type, entity_id, operation, actor, at, "
                                + "summary, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, cast(nullif(?9, '') as jsonb), "
                                + "cast(nullif(?10, '') as jsonb))")
                        .setParameter(1, change.organizationId()).setParameter(2, version).setParameter(3, change.entityType())
                        .setParameter(4, change.entityId()).setParameter(5, change.operation()).setParameter(6, change.actor())
                        .setParameter(7, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)).setParameter(8, change.summary())
                        .setParameter(9, change.before() == null ? "" : change.before())
                        .setParameter(10, change.after() == null ? "" : change.after())
                        .executeUpdate())
                .flatMap(ignored -> {
                    UUID eventId = UUID.randomUUID();
                    EventEnvelope envelope = EventEnvelope.newBuilder()
                            .setEventId(eventId.toString())
                            .setOrganizationId(change.organizationId().toString())
                            .setOccurredAt(Timestamp.newBuilder().setSeconds(at.getEpochSecond()).setNanos(at.getNano()))
                            .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_USER).setId(change.actor())
                                    .setOrganizationId(change.organizationId().toString()))
                            .setSource("policy-service")
                            .setPolicyChanged(PolicyChanged.newBuilder().setEntityType(change.entityType())
                                    .setEntityId(change.entityId()).setOperation(change.operation()).setPolicyVersion(version)
                                    .setSummary(change.summary()))
                            .build();
                    return outbox.append(TOPIC, change.organizationId().toString(), eventId, "policy_changed", envelope);
                })
                .replaceWith(version));
    }
}
