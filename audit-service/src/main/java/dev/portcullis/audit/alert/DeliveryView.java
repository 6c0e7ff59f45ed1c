package dev.portcullis.audit.alert;

import java.time.Instant;
import java.util.UUID;

/** Where one alert's delivery to one subscription stands. */
public record DeliveryView(UUID id, UUID subscriptionId, String status, int attempts, Instant lastAttemptAt, Integer lastStatus,
        String lastError, Instant nextAttemptAt, Instant deliveredAt) {

    public static DeliveryView of(WebhookDeliveryEntity delivery) {
        return new DeliveryView(delivery.id, delivery.subscriptionId, delivery.status, delivery.attempts,
                instant(delivery.lastAttemptAt), delivery.lastStatus, delivery.lastError,
                WebhookDeliveryEntity.PENDING.equals(delivery.status) ? instant(delivery.nextAttemptAt) : null,
                instant(delivery.deliveredAt));
    }

    private static Instant instant(java.time.OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }
}
