package dev.portcullis.audit.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Delivers alerts to webhooks, Standard Webhooks style, from the {@code webhook_delivery} table.
 *
 * <p>Each pass claims due pending rows ({@code FOR UPDATE SKIP LOCKED}, so replicas share the work)
 * and leases them by moving {@code next_attempt_at} past the attempt's timeout, then commits; the HTTP
 * calls run outside any transaction, non-blocking (Vert.x web client; the address check that resolves
 * the host runs on a worker thread). Each outcome is written in its own transaction: 2xx → delivered;
 * anything else → retried after {@code initial-backoff × 2^(attempts-1)} (capped), and after
 * {@code max-attempts} attempts → failed.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private static final String CLAIM = "select d.* from webhook_delivery d"
            + " where d.status = 'pending' and d.next_attempt_at <= now()"
            + " order by d.next_attempt_at limit :limit for update skip locked";

    @Inject
    AlertConfig config;

    @Inject
    WebhookSecrets secrets;

    @Inject
    ObjectMapper json;

    @Inject
    Vertx vertx;

    private WebClient client;

    @PostConstruct
    void start() {
        int timeoutMs = (int) config.webhooks().timeout().toMillis();
        client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout(timeoutMs)
                .setFollowRedirects(false)
                .setUserAgent("portcullis-audit-webhooks/1"));
    }

    @PreDestroy
    void stop() {
        client.close();
    }

    /** One claimed delivery with everything needed to send it. */
    record Job(WebhookDeliveryEntity delivery, WebhookSubscriptionEntity subscription, AlertEntity alert) {
    }

    @Scheduled(every = "${portcullis.audit.alerts.webhooks.poll-interval:1s}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        return deliverDue().onFailure().recoverWithItem(failure -> {
            LOG.warnf("webhook delivery pass failed: %s (will retry)", failure.toString());
            return 0;
        }).replaceWithVoid();
    }

    /** Claims and attempts the due deliveries; returns how many were attempted. */
    public Uni<Integer> deliverDue() {
        Context context = io.vertx.core.Vertx.currentContext();
        Executor onContext = context == null ? Runnable::run : task -> context.runOnContext(ignored -> task.run());
        return claim().flatMap(jobs -> {
            if (jobs.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<Uni<Void>> attempts = jobs.stream()
                    .map(job -> attempt(job).emitOn(onContext).flatMap(outcome -> record(job.delivery().id, outcome)))
                    .toList();
            return Uni.join().all(attempts).andCollectFailures().replaceWith(jobs.size());
        });
    }

    private Uni<List<Job>> claim() {
        OffsetDateTime lease = OffsetDateTime.now(ZoneOffset.UTC).plus(config.webhooks().timeout().multipliedBy(3));
        return Panache.withTransaction(() -> Panache.getSession().flatMap(session -> session
                .createNativeQuery(CLAIM, WebhookDeliveryEntity.class)
                .setParameter("limit", config.webhooks().batchSize())
                .getResultList()
                .flatMap(rows -> {
                    Uni<List<Job>> jobs = Uni.createFrom().item(new java.util.ArrayList<>());
                    for (WebhookDeliveryEntity row : rows) {
                        row.nextAttemptAt = lease;
                        jobs = jobs.flatMap(list -> session.find(WebhookSubscriptionEntity.class, row.subscriptionId)
                                .flatMap(subscription -> session.find(AlertEntity.class, row.alertId)
                                        .map(alert -> {
                                            list.add(new Job(row, subscription, alert));
                                            return list;
                                        })));
                    }
                    return jobs.call(session::flush);
                })));
    }

    /** What one attempt came to: an HTTP status, or an error before one. */
    record Outcome(Integer status, String error) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    Uni<Outcome> attempt(Job job) {
        if (job.subscription().deletedAt != null) {
            return Uni.createFrom().item(new Outcome(null, "subscription deleted"));
        }
        URI url = URI.create(job.subscription().url);
        String secret;
        byte[] body;
        try {
            secret = secrets.decrypt(job.subscription().secretEncrypted, job.subscription().id.toString());
            body = body(job.alert());
        } catch (RuntimeException | JsonProcessingException e) {
            return Uni.createFrom().item(new Outcome(null, e.getMessage()));
        }
        String id = "msg_" + job.delivery().id;
        long timestamp = Instant.now().getEpochSecond();
        String signature = WebhookSignature.sign(secret, id, timestamp, body);
        boolean allowPrivate = config.webhooks().allowPrivateAddresses();
        return vertx.executeBlocking(() -> {
                    WebhookTarget.checkAddresses(url, allowPrivate);
                    return url;
                }, false)
                .flatMap(checked -> client.postAbs(url.toString())
                        .putHeader("content-type", "application/json")
                        .putHeader("webhook-id", id)
                        .putHeader("webhook-timestamp", Long.toString(timestamp))
                        .putHeader("webhook-signature", signature)
                        .timeout(config.webhooks().timeout().toMillis())
                        .sendBuffer(Buffer.buffer(body)))
                .map(response -> new Outcome(response.statusCode(), response.statusCode() / 100 == 2 ? null
                        : "the receiver answered " + response.statusCode()))
                .onFailure().recoverWithItem(failure -> new Outcome(null, failure.getClass().getSimpleName() + ": "
                        + failure.getMessage()));
    }

    /** The request body: {@code {"type": "alert.<kind>", "timestamp": ..., "data": <alert>}}. */
    byte[] body(AlertEntity alert) throws JsonProcessingException {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("type", "alert." + alert.kind);
        payload.put("timestamp", alert.raisedAt.toInstant().toString());
        payload.put("data", AlertView.of(alert));
        return json.writeValueAsBytes(payload);
    }

    private Uni<Void> record(UUID deliveryId, Outcome outcome) {
        return Panache.withTransaction(() -> Panache.getSession()
                .flatMap(session -> session.find(WebhookDeliveryEntity.class, deliveryId))
                .invoke(delivery -> {
                    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
                    delivery.attempts++;
                    delivery.lastAttemptAt = now;
                    delivery.lastStatus = outcome.status();
                    delivery.lastError = truncate(outcome.error());
                    if (outcome.delivered()) {
                        delivery.status = WebhookDeliveryEntity.DELIVERED;
                        delivery.deliveredAt = now;
                    } else if (delivery.attempts >= config.webhooks().maxAttempts() || "subscription deleted".equals(outcome.error())) {
                        delivery.status = WebhookDeliveryEntity.FAILED;
                        LOG.warnf("webhook delivery %s of alert %s failed for good after %d attempts: %s", delivery.id,
                                delivery.alertId, delivery.attempts, delivery.lastError);
                    } else {
                        delivery.nextAttemptAt = now.plus(backoff(delivery.attempts));
                    }
                })
                .replaceWithVoid());
    }

    Duration backoff(int attempts) {
        return backoff(attempts, config.webhooks().initialBackoff(), config.webhooks().maxBackoff());
    }

    /** The pause after the {@code attempts}-th failed attempt: initial × 2^(attempts-1), at most max. */
    static Duration backoff(int attempts, Duration initial, Duration max) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 30);
        Duration pause = initial.multipliedBy(1L << doublings);
        return pause.compareTo(max) > 0 ? max : pause;
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }
}
