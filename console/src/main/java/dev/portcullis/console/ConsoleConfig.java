package dev.portcullis.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Where the console finds the APIs it calls with the signed-in person's token, and how long it waits for them. */
@ConfigMapping(prefix = "portcullis.console")
public interface ConsoleConfig {

    /** Base URL of device-registry (its operator API lives under {@code /admin/v1}). */
    URI registryUrl();

    @WithDefault("10s")
    Duration registryTimeout();

    /** Base URL of command-service (unlocks, action attempts, approvals of two-person unlocks; {@code /v1}). */
    URI commandUrl();

    /** Base URL of policy-service (the tenant's {@code /v1/me/doors}; lockdown and access reviews under {@code /admin/v1}). */
    URI policyUrl();

    /** Base URL of audit-service (event feed, alerts, audit search, verified export; {@code /v1}). */
    URI auditUrl();

    /**
     * A PEM file holding audit-service's tree-head public key ("PUBLIC KEY" block; a key file with the private block
     * too is read for its public block only), pinned out of band. Absent: the key audit-service publishes is used,
     * and the export page says it was not pinned.
     */
    Optional<Path> auditTreeHeadKeyFile();

    /** How long an unlock may take: command-service answers once the lock acknowledged (or the command expired). */
    @WithDefault("20s")
    Duration unlockTimeout();
}
