package dev.portcullis.kit.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "portcullis.outbox")
public interface OutboxConfig {

    /** Whether this instance publishes the outbox (every replica may; rows are claimed with SKIP LOCKED). */
    @WithDefault("true")
    boolean relayEnabled();

    /** How many events one relay pass claims. */
    @WithDefault("200")
    int batchSize();

    /**
     * How many full batches one poll may publish in a row: a pass that claimed a full batch is followed at
     * once by another (up to this many), so that the relay keeps up with more than one batch per poll interval.
     */
    @WithDefault("50")
    int maxBatchesPerPoll();

    /** How long published rows are kept before they are purged. */
    @WithDefault("P7D")
    Duration retention();
}
