package dev.portcullis.audit.alert;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A subscription as the REST API shows it; {@code secret} only in the answer to its creation. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubscriptionView(UUID id, String url, List<String> kinds, Instant createdAt, String secret) {

    public static SubscriptionView of(WebhookSubscriptionEntity subscription, String secret) {
        return new SubscriptionView(subscription.id, subscription.url, List.of(subscription.kinds),
                subscription.createdAt.toInstant(), secret);
    }
}
