package dev.portcullis.simulator.lock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the fleet has started. Deliberately not tied to the locks being enrolled or connected
 * (that depends on other services; the launcher polls {@code /v1/locks} for it). Never blocks.
 */
@Readiness
@ApplicationScoped
public class FleetReadiness implements HealthCheck {

    @Inject
    Fleet fleet;

    @Override
    public HealthCheckResponse call() {
        long connected = fleet.all().stream().filter(VirtualLock::connected).count();
        return HealthCheckResponse.named("lock-fleet").up()
                .withData("locks", fleet.all().size())
                .withData("connected", connected)
                .build();
    }
}
