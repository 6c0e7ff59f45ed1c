package dev.portcullis.policy.device;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "portcullis.policy.device")
public interface DeviceConfig {

    /**
     * How long a lock's keypad lockout lasts when its LOCKOUT event does not say (the event's {@code detail}
     * may carry an ISO-8601 duration such as {@code PT5M}).
     */
    @WithDefault("5m")
    Duration defaultLockout();
}
