package dev.portcullis.policy.store;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "portcullis.policy.cache")
public interface CacheConfig {

    /** How often each replica compares its cached versions with the database: the backstop if a change event is lost. */
    @WithDefault("5s")
    Duration versionCheckInterval();
}
