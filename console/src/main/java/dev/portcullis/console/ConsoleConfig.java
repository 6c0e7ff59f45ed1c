package dev.portcullis.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Where the console finds the APIs it calls with the signed-in person's token, and how long it waits for them. */
@ConfigMapping(prefix = "portcullis.console")
public interface ConsoleConfig {

    /** Base URL of device-registry (its operator API lives under {@code /admin/v1}). */
    URI registryUrl();

    @WithDefault("10s")
    Duration registryTimeout();

    /** Base URL of policy-service (the tenant pages read {@code /v1/me/doors}). */
    URI policyUrl();

    /** Base URL of command-service (the tenant pages unlock and follow action attempts there). */
    URI commandUrl();

    /** How long an unlock may take: command-service answers once the lock acknowledged (or the command expired). */
    @WithDefault("20s")
    Duration unlockTimeout();
}
