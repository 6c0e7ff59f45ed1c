package dev.portcullis.audit.alert;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Raises alerts: the alert and one pending delivery per matching webhook subscription are written in
 * one transaction (joining the caller's, if any), so an alert is never without its deliveries.
 * Raising the same (kind, source) again writes nothing.
 */
@ApplicationScoped
public class Alerts {

    private static final Logger LOG = Logger.getLogger(Alerts.class);

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
