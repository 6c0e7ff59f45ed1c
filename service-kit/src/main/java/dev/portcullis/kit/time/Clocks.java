package dev.portcullis.kit.time;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/**
 * The {@link Clock} every service decides time-bound questions at (schedules, expiries, throttles):
 * the system's UTC clock, unless a test supplies its own {@code Clock} bean.
 */
@ApplicationScoped
public class Clocks {

    @Produces
    @DefaultBean
    @ApplicationScoped
    Clock systemClock() {
        return Clock.systemUTC();
    }
}
