package dev.portcullis.audit.alert;

import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/** Webhook subscriptions, always within one organization: another organization's are not found. */
@ApplicationScoped
public class Subscriptions {

    static final int MAX_PER_ORGANIZATION = 20;

    @Inject
    WebhookSecrets secrets;

    @Inject
    AlertConfig config;

    @Inject
    Vertx vertx;

    /** Creates a subscription and returns it with its secret, shown this once. */
    public Uni<SubscriptionView> create(UUID organization, NewSubscription request) {
        if (request == null) {
            throw ProblemException.badRequest("invalid-body", "A JSON body with url (and optionally kinds) is required");
        }
        URI url = WebhookTarget.parse(request.url());
        String[] kinds = kinds(request.kinds());
        if (!secrets.configured()) {
            throw ProblemException.unavailable("Webhooks are not configured on this deployment", java.time.Duration.ofMinutes(5));
        }
        boolean allowPrivate = config.webhooks().allowPrivateAddresses();
        return vertx.executeBlocking(() -> {
                    try {
                        WebhookTarget.checkAddresses(url, allowPrivate);
                    } catch (UnknownHostException e) {
                        throw ProblemException.badRequest("invalid-parameter", "url's host does not resolve").with("parameter", "url");
                    } catch (WebhookTarget.NonPublicAddressException e) {
                        throw ProblemException.badRequest("invalid-parameter", "url must point at a public address")
                                .with("parameter", "url");
                    }
                    return url;
                }, false)
                .flatMap(checked -> store(organization, checked.toString(), kinds));
    }

    @WithTransaction
    Uni<SubscriptionView> store(UUID organization, String url, String[] kinds) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "select count(*) from WebhookSubscriptionEntity where organizationId = :organization and deletedAt is null",
                        Long.class)
                .setParameter("organization", organization)
                .getSingleResult()
                .flatMap(count -> {
                    if (count >= MAX_PER_ORGANIZATION) {
                        throw ProblemException.conflict("too-many-subscriptions",
                                "An organization has at most " + MAX_PER_ORGANIZATION + " webhook subscriptions");
                    }
                    WebhookSubscriptionEntity subscription = new WebhookSubscriptionEntity();
                    subscription.id = UUID.randomUUID();
                    subscription.organizationId = organization;
                    subscription.url = url;
                    subscription.kinds = kinds;
                    String secret = secrets.generate();
                    subscription.secretEncrypted = secrets.encrypt(secret, subscription.id.toString());
                    subscription.createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
                    return session.persist(subscription).replaceWith(SubscriptionView.of(subscription, secret));
                }));
    }

    @WithSession
    public Uni<List<SubscriptionView>> list(UUID organization) {
        return Panache.getSession().flatMap(session -> session.createSelectionQuery(
                        "from WebhookSubscriptionEntity where organizationId = :organization and deletedAt is null order by createdAt",
                        WebhookSubscriptionEntity.class)
                .setParameter("organization", organization)
                .getResultList())
                .map(rows -> rows.stream().map(row -> SubscriptionView.of(row, null)).toList());
    }

    @WithSession
    public Uni<SubscriptionView> get(UUID organization, UUID id) {
        return find(organization, id).map(row -> SubscriptionView.of(row, null));
    }

    /** Marks it deleted; its pending deliveries fail with "subscription deleted". */
    @WithTransaction
    public Uni<Void> delete(UUID organization, UUID id) {
        return find(organization, id).flatMap(row -> {
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            row.deletedAt = now;
            return Panache.getSession().flatMap(session -> session.createMutationQuery(
                            "update WebhookDeliveryEntity set status = 'failed', lastError = 'subscription deleted'"
                                    + " where subscriptionId = :id and status = 'pending'")
                    .setParameter("id", id)
                    .executeUpdate());
        }).replaceWithVoid();
    }

    private Uni<WebhookSubscriptionEntity> find(UUID organization, UUID id) {
        return Panache.getSession().flatMap(session -> session.find(WebhookSubscriptionEntity.class, id))
                .map(row -> {
                    if (row == null || !row.organizationId.equals(organization) || row.deletedAt != null) {
                        throw ProblemException.notFound("webhook subscription");
                    }
                    return row;
                });
    }

    private static String[] kinds(List<String> requested) {
        if (requested == null) {
            return new String[0];
        }
        LinkedHashSet<String> kinds = new LinkedHashSet<>();
        for (String kind : requested) {
            if (kind == null || AlertKind.fromWireName(kind).isEmpty()) {
                throw ProblemException.badRequest("invalid-parameter", "kinds must be alert kinds ("
                        + String.join(", ", java.util.Arrays.stream(AlertKind.values()).map(AlertKind::wireName).toList()) + ")")
                        .with("parameter", "kinds");
            }
            kinds.add(kind);
        }
        return kinds.toArray(String[]::new);
    }
}
