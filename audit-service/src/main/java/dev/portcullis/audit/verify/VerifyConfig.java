package dev.portcullis.audit.verify;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "portcullis.audit.verify")
public interface VerifyConfig {

    /** Entries read per database round trip. */
    @WithDefault("500")
    int batchSize();

    /** The most entries one request verifies; a longer range is cut at {@code from + maxRange - 1} (see {@code to}). */
    @WithDefault("100000")
    long maxRange();
}
