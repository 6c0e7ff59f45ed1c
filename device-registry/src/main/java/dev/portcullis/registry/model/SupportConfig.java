package dev.portcullis.registry.model;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "portcullis.registry.support")
public interface SupportConfig {

    /** A lock model whose end of support is at most this many days away is "ending soon". */
    @WithDefault("90")
    int endingSoonDays();
}
