package dev.portcullis.kit.demo;

import io.smallrye.config.ConfigMapping;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The demo portfolio `./portcullis up` seeds. Every service reads the part it owns (identity: the
 * organization and tenant; policy: doors, time zone and the tenant's grants; registry: the portfolio
 * and the locks' one-time enrolment secrets). Absent in production: nothing is seeded.
 * Secrets (password, TOTP secret, enrolment secrets) arrive through the environment, never files.
 */
@ConfigMapping(prefix = "portcullis.demo")
public interface DemoPortfolio {

    Optional<Organization> organization();

    Optional<Property> property();

    Optional<List<Door>> doors();

    Optional<Tenant> tenant();

    /** An operator of the demo organization (role {@code operator}: the identity admin API); optional. */
    Optional<Tenant> operator();

    default boolean enabled() {
        return organization().isPresent();
    }

    interface Organization {
        String id();

        String name();
    }

    interface Property {
        String id();

        String name();

        /** IANA zone, e.g. America/New_York. */
        String timeZone();
    }

    interface Door {
        String id();

        String name();

        String lockId();

        String enrollmentSecret();

        /** When the demo tenant may open it: "always", or e.g. "MON-FRI 08:00-18:00", "THU 10:00-11:00". */
        String tenantSchedule();

        /** The assurance level ({@code acr}) an unlock of this door needs, e.g. "aal2"; none when empty. */
        Optional<String> requiredAcr();

        /** How recent the sign-in behind an unlock of this door must be; no limit when empty. */
        Optional<Duration> maxAuthAge();
    }

    interface Tenant {
        String id();

        String username();

        String displayName();

        String password();

        /** Base32 TOTP secret (RFC 6238). */
        String totpSecret();
    }
}
