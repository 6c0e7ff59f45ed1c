package dev.portcullis.audit.ingest;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "portcullis.audit.ingest")
public interface IngestConfig {

    /** First pause before a failed write is retried; pauses double up to {@link #retryMaxBackoff()}. */
    @WithDefault("0.2s")
    Duration retryInitialBackoff();

    @WithDefault("10s")
    Duration retryMaxBackoff();

    /**
     * How often a write that failed for a reason other than the database being unreachable is tried
     * before the record is kept as a dead letter (an unreachable database is waited out, however long).
     */
    @WithDefault("8")
    int maxAttempts();
}
