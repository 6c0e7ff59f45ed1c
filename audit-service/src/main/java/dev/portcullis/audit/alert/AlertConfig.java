package dev.portcullis.audit.alert;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "portcullis.audit.alerts")
public interface AlertConfig {

    /** This many denials for one door, or one subject, within {@link #denialWindow()} raise a repeated-denials alert. */
    @WithDefault("5")
    int denialThreshold();

    @WithDefault("10m")
    Duration denialWindow();

    /** A lock offline this long without coming back raises a lock-offline alert. */
    @WithDefault("15m")
    Duration offlineAfter();

    /** How often the offline check runs (read by {@code OfflineCheck}'s schedule). */
    @WithDefault("30s")
    Duration offlineCheckEvery();

    Webhooks webhooks();

    interface Webhooks {

        /**
         * AES-256 key (base64, 32 bytes) that encrypts webhook secrets at rest. Lives in configuration
         * (a secret store), never in the database. Without it, subscriptions cannot be created or delivered.
         */
        Optional<String> secretKey();

        /** Attempts per delivery, the first included, before it is marked failed. */
        @WithDefault("5")
        int maxAttempts();

        /** Pause after the first failed attempt; doubled after each further one, up to {@link #maxBackoff()}. */
        @WithDefault("10s")
        Duration initialBackoff();

        @WithDefault("1h")
        Duration maxBackoff();

        /** Connect plus response time allowed per attempt. */
        @WithDefault("10s")
        Duration timeout();

        /** How often the delivery worker looks for due deliveries (read by {@code DeliveryWorker}'s schedule). */
        @WithDefault("1s")
        Duration pollInterval();

        /** How many due deliveries one worker pass claims. */
        @WithDefault("50")
        int batchSize();

        /**
         * Whether webhook URLs may point at loopback, private, link-local or other non-public addresses.
         * Off in production (SSRF); tests turn it on for their loopback receiver.
         */
        @WithDefault("false")
        boolean allowPrivateAddresses();
    }
}
