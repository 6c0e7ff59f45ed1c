package dev.portcullis.audit.alert;

import com.google.protobuf.Timestamp;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.AlertRaised;
import dev.portcullis.proto.events.v1.EventEnvelope;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Raises alerts: the alert and one pending delivery per matching webhook subscription are written in
 * one transaction (joining the caller's, if any), with an {@code AlertRaised} event for the topic
 * {@value #TOPIC} in the outbox: an alert is never without its deliveries and its event. Raising the
 * same (kind, source) again writes nothing.
 */
@ApplicationScoped
public class Alerts {

    public static final String TOPIC = "portcullis.alert.v1";
    static final String SOURCE = "audit-service";

    private static final Logger LOG = Logger.getLogger(Alerts.class);

    @Inject
    Outbox outbox;

    /** The alert raised, or null when this (kind, source) was raised before. */
    @WithTransaction
    public Uni<AlertEntity> raise(AlertDraft draft) {
        return Panache.getSession().flatMap(session -> session
                .createSelectionQuery("from AlertEntity where kind = :kind and sourceKey = :source", AlertEntity.class)
                .setParameter("kind", draft.kind().wireName())
                .setParameter("source", draft.sourceKey())
                .getResultList()
                .flatMap(existing -> {
                    if (!existing.isEmpty()) {
                        return Uni.createFrom().nullItem();
                    }
                    AlertEntity alert = alert(draft);
                    return session.persist(alert)
                            .chain(() -> subscribers(session, alert))
                            .chain(subscriptions -> {
                                OffsetDateTime now = alert.raisedAt;
                                List<WebhookDeliveryEntity> deliveries = subscriptions.stream()
                                        .filter(subscription -> subscription.wants(draft.kind()))
                                        .map(subscription -> delivery(alert, subscription, now))
                                        .toList();
                                return deliveries.isEmpty()
                                        ? Uni.createFrom().voidItem()
                                        : session.persistAll(deliveries.toArray());
                            })
                            .call(() -> outbox.append(TOPIC, key(alert), alert.id, "alert_raised", event(alert)))
                            .call(session::flush)
                            .invoke(() -> LOG.infof("alert %s raised: %s (%s) for organization %s from %s", alert.id, alert.kind,
                                    alert.severity, alert.organizationId, alert.sourceKey))
                            .replaceWith(alert);
                }));
    }

    private static Uni<List<WebhookSubscriptionEntity>> subscribers(org.hibernate.reactive.mutiny.Mutiny.Session session,
            AlertEntity alert) {
        if (alert.organizationId == null) {
            // A dead letter belongs to no known organization: it is stored and listed for no tenant.
            return Uni.createFrom().item(List.of());
        }
        return session.createSelectionQuery(
                        "from WebhookSubscriptionEntity where organizationId = :organization and deletedAt is null",
                        WebhookSubscriptionEntity.class)
                .setParameter("organization", alert.organizationId)
                .getResultList();
    }

    /** The record key: what the alert is about, so one lock's (door's, subject's) alerts stay in order. */
    private static String key(AlertEntity alert) {
        if (alert.lockId != null) {
            return alert.lockId;
        }
        if (alert.doorId != null) {
            return alert.doorId;
        }
        return alert.subjectId != null ? alert.subjectId : alert.id.toString();
    }

    static EventEnvelope event(AlertEntity alert) {
        Instant raisedAt = alert.raisedAt.toInstant();
        AlertRaised.Builder raised = AlertRaised.newBuilder()
                .setAlertId(alert.id.toString())
                .setKind(alert.kind)
                .setSeverity(alert.severity);
        if (alert.doorId != null) {
            raised.setDoorId(alert.doorId);
        }
        if (alert.lockId != null) {
            raised.setLockId(alert.lockId);
        }
        if (alert.subjectId != null) {
            raised.setSubjectId(alert.subjectId);
        }
        if (alert.detail != null) {
            raised.setDetail(alert.detail);
        }
        if (alert.sourceSequence != null) {
            raised.setSourceSequence(alert.sourceSequence);
        }
        if (alert.sourceEventId != null) {
            raised.setSourceEventId(alert.sourceEventId.toString());
        }
        EventEnvelope.Builder envelope = EventEnvelope.newBuilder()
                .setEventId(alert.id.toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(raisedAt.getEpochSecond()).setNanos(raisedAt.getNano()))
                .setSource(SOURCE)
                .setActor(Actor.newBuilder().setType(ActorType.ACTOR_TYPE_SERVICE).setId(SOURCE))
                .setAlertRaised(raised);
        if (alert.organizationId != null) {
            envelope.setOrganizationId(alert.organizationId.toString());
        }
        return envelope.build();
    }

    private static AlertEntity alert(AlertDraft draft) {
        AlertEntity alert = new AlertEntity();
        alert.id = UUID.randomUUID();
        alert.organizationId = draft.organizationId();
        alert.kind = draft.kind().wireName();
        alert.severity = draft.kind().severity().wireName();
        alert.doorId = draft.doorId();
        alert.lockId = draft.lockId();
        alert.subjectId = draft.subjectId();
        alert.detail = draft.detail();
        alert.sourceKey = draft.sourceKey();
        alert.sourceSequence = draft.sourceSequence();
        alert.sourceEventId = draft.sourceEventId();
        alert.occurredAt = draft.occurredAt() == null ? null : draft.occurredAt().atOffset(ZoneOffset.UTC);
        alert.raisedAt = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
        return alert;
    }

    private static WebhookDeliveryEntity delivery(AlertEntity alert, WebhookSubscriptionEntity subscription, OffsetDateTime now) {
        WebhookDeliveryEntity delivery = new WebhookDeliveryEntity();
        delivery.id = UUID.randomUUID();
        delivery.alertId = alert.id;
        delivery.subscriptionId = subscription.id;
        delivery.status = WebhookDeliveryEntity.PENDING;
        delivery.attempts = 0;
        delivery.nextAttemptAt = now;
        return delivery;
    }
}
