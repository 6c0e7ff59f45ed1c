package dev.portcullis.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.time.Duration;

/** Where the console finds device-registry's operator API, and how long it waits for it. */
@ConfigMapping(prefix = "portcullis.console")
public interface ConsoleConfig {

    /** Base URL of device-registry (its operator API lives under {@code /admin/v1}). */
    URI registryUrl();

    @WithDefault("10s")
    Duration registryTimeout();
}
