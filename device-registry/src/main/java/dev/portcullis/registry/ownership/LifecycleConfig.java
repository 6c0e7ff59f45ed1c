package dev.portcullis.registry.ownership;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "portcullis.lifecycle")
public interface LifecycleConfig {

    /** The longest an ownership transfer may stay open for acceptance. */
    @WithDefault("P30D")
    Duration maxTransferLifetime();

    /** How long an enrollment secret issued by a lifecycle flow (reset, replacement, transfer) stays valid. */
    @WithDefault("PT72H")
    Duration enrollmentSecretLifetime();

    /** How long an orphan claim's challenge can be answered. */
    @WithDefault("PT15M")
    Duration orphanClaimLifetime();

    /** Wrong proofs before an orphan claim is burned (a new claim gets a new challenge). */
    @WithDefault("5")
    int orphanClaimMaxAttempts();
}
