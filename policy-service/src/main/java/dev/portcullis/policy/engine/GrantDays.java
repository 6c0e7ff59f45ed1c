package dev.portcullis.policy.engine;

import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.PolicySnapshot.Property;
import dev.portcullis.policy.engine.PolicySnapshot.Suspension;
import dev.portcullis.proto.policy.v1.Reason;
import java.time.LocalDate;

/** The local dates on which a grant does not apply at all: its suspensions, and the property's holidays if it closes on them. */
final class GrantDays {

    private GrantDays() {
    }

    /** Why the grant does not apply on the local date, or null when it does. Suspensions are looked at first. */
    static Closure closure(Grant grant, Property property, LocalDate date) {
        for (Suspension suspension : grant.suspensions()) {
            if (!date.isBefore(suspension.from()) && !date.isAfter(suspension.to())) {
                return new Closure(Reason.REASON_SUSPENDED, "suspended " + suspension.from() + " to " + suspension.to()
                        + (suspension.reason() == null || suspension.reason().isBlank() ? "" : " (" + suspension.reason() + ")"));
            }
        }
        if (grant.closedOnHolidays() && property.holidays().contains(date)) {
            return new Closure(Reason.REASON_HOLIDAY, date + " is a holiday of " + property.name() + " and the grant is closed on holidays");
        }
        return null;
    }

    record Closure(Reason reason, String detail) {
    }
}
