package dev.portcullis.command.unlock;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Watching action attempts (gRPC WatchActionAttempts, SSE). */
@ConfigMapping(prefix = "portcullis.watch")
public interface WatchConfig {

    /**
     * How many changes a watcher may fall behind while its connection takes no more; past that it is dropped
     * (gRPC RESOURCE_EXHAUSTED, SSE stream closed) instead of buffering without bound.
     */
    @WithDefault("64")
    int buffer();
}
