package dev.portcullis.audit.alert;

import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.hibernate.reactive.mutiny.Mutiny;

/** Reads alerts (with their acknowledgements) and their deliveries, within one organization only. */
@ApplicationScoped
public class AlertQuery {

    /** One alert with its deliveries. */
    public record AlertDetail(AlertView alert, List<DeliveryView> deliveries) {
    }

    /** Newest first, optionally of one kind, and only open (unacknowledged) or only acknowledged ones. */
    @WithSession
    public Uni<List<AlertView>> list(UUID organization, AlertKind kind, Boolean acknowledged, int limit) {
        String acknowledgement = acknowledged == null ? ""
                : " and id " + (acknowledged ? "in" : "not in") + " (select k.alertId from AcknowledgementEntity k"
                        + " where k.organizationId = :organization)";
        return Panache.getSession().flatMap(session -> {
            var query = session.createSelectionQuery("from AlertEntity where organizationId = :organization"
                            + (kind == null ? "" : " and kind = :kind") + acknowledgement + " order by raisedAt desc, id", AlertEntity.class)
                    .setParameter("organization", organization)
                    .setMaxResults(limit);
            if (kind != null) {
                query.setParameter("kind", kind.wireName());
            }
            return query.getResultList().flatMap(rows -> acknowledgements(session, rows.stream().map(row -> row.id).toList())
                    .map(acks -> rows.stream().map(row -> AlertView.of(row, acks.get(row.id))).toList()));
        });
    }

    @WithSession
    public Uni<AlertDetail> get(UUID organization, UUID id) {
        return Panache.getSession().flatMap(session -> session.find(AlertEntity.class, id).flatMap(alert -> {
            if (alert == null || alert.organizationId == null || !alert.organizationId.equals(organization)) {
                throw ProblemException.notFound("alert");
            }
            return acknowledgements(session, List.of(id)).flatMap(acks -> session
                    .createSelectionQuery("from WebhookDeliveryEntity where alertId = :alert order by id", WebhookDeliveryEntity.class)
                    .setParameter("alert", id)
                    .getResultList()
                    .map(deliveries -> new AlertDetail(AlertView.of(alert, acks.get(id)),
                            deliveries.stream().map(DeliveryView::of).toList())));
        }));
    }

    private static Uni<Map<UUID, AcknowledgementView>> acknowledgements(Mutiny.Session session, List<UUID> alertIds) {
        if (alertIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return session.createSelectionQuery("from AcknowledgementEntity where alertId in :ids", AcknowledgementEntity.class)
                .setParameter("ids", alertIds)
                .getResultList()
                .map(rows -> rows.stream().collect(Collectors.toMap(row -> row.alertId, AcknowledgementEntity::view, (a, b) -> a)));
    }
}
