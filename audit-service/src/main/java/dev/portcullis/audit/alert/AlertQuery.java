package dev.portcullis.audit.alert;

import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.UUID;

/** Reads alerts and their deliveries, within one organization only. */
@ApplicationScoped
public class AlertQuery {

    /** One alert with its deliveries. */
    public record AlertDetail(AlertView alert, List<DeliveryView> deliveries) {
    }

    /** Newest first, optionally of one kind. */
    @WithSession
    public Uni<List<AlertView>> list(UUID organization, AlertKind kind, int limit) {
        return Panache.getSession().flatMap(session -> {
            var query = session.createSelectionQuery("from AlertEntity where organizationId = :organization"
                            + (kind == null ? "" : " and kind = :kind") + " order by raisedAt desc, id", AlertEntity.class)
                    .setParameter("organization", organization)
                    .setMaxResults(limit);
            if (kind != null) {
                query.setParameter("kind", kind.wireName());
            }
            return query.getResultList();
        })
                .map(rows -> rows.stream().map(AlertView::of).toList());
    }

    @WithSession
    public Uni<AlertDetail> get(UUID organization, UUID id) {
        return Panache.getSession().flatMap(session -> session.find(AlertEntity.class, id).flatMap(alert -> {
            if (alert == null || alert.organizationId == null || !alert.organizationId.equals(organization)) {
                throw ProblemException.notFound("alert");
            }
            return session.createSelectionQuery("from WebhookDeliveryEntity where alertId = :alert order by id",
                            WebhookDeliveryEntity.class)
                    .setParameter("alert", id)
                    .getResultList()
                    .map(deliveries -> new AlertDetail(AlertView.of(alert), deliveries.stream().map(DeliveryView::of).toList()));
        }));
    }
}
