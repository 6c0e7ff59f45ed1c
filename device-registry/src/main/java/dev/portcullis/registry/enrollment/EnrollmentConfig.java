package dev.portcullis.registry.enrollment;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "portcullis.enrollment")
public interface EnrollmentConfig {

    /** How long a seeded (demo/dev) enrollment secret stays valid after it is issued. */
    @WithDefault("PT24H")
    Duration secretLifetime();

    /** Wrong secrets tried against one lock's enrollment secret before it is burned and must be re-issued. */
    @WithDefault("5")
    int maxFailedAttempts();

    /** Seeded secrets shorter than this are refused at startup (32 hex characters carry 128 bits). */
    @WithDefault("32")
    int minimumSecretLength();

    /**
     * How long after a successful enrollment the same lock may repeat it (same secret, same keys) and get
     * the same answer, e.g. when the response was lost. Nothing changes and no event is written.
     */
    @WithDefault("PT10M")
    Duration repeatWindow();
}
