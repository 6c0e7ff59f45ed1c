package dev.portcullis.audit.query;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * How long an organization's entries are served by {@code GET /v1/audit}, counted from when they were
 * recorded: {@code portcullis.audit.retention.organizations.<organization id>}, else
 * {@code portcullis.audit.retention.default-period}; neither: no limit. Entries past retention stay in
 * the append-only chain (it must stay verifiable); see README, "Retention".
 */
@ConfigMapping(prefix = "portcullis.audit.retention")
public interface RetentionConfig {

    Optional<Duration> defaultPeriod();

    Map<String, Duration> organizations();

    default Optional<Duration> periodFor(UUID organization) {
        Duration own = organizations().get(organization.toString());
        return own != null ? Optional.of(own) : defaultPeriod();
    }
}
