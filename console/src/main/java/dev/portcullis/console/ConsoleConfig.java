package dev.portcullis.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Where the console finds device-registry's operator API (and command- and policy-service), and how long it waits. */
@ConfigMapping(prefix = "portcullis.console")
public interface ConsoleConfig {

    /** Base URL of device-registry (its operator API lives under {@code /admin/v1}). */
    URI registryUrl();

    @WithDefault("10s")
    Duration registryTimeout();

    /** Base URL of command-service (approvals of two-person unlocks, {@code /v1}). */
    URI commandUrl();

    /** Base URL of policy-service (property lockdown, under {@code /admin/v1}). */
    URI policyUrl();
}
