package dev.portcullis.console.tenant;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;

/** What the APIs' codes mean to a tenant, in words, and instants as a person reads them. */
public final class Words {

    private Words() {
    }

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE d MMM, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    /** Why an unlock did not happen (policy reasons and command-service's failure reasons). */
    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("NO_GRANT", "You have no access to this door."),
            Map.entry("OUTSIDE_SCHEDULE", "Your access does not cover this time of day or week."),
            Map.entry("GRANT_NOT_VALID_NOW", "Your access is not valid yet, or no longer."),
            Map.entry("UNKNOWN_DOOR", "This door is not known."),
            Map.entry("STEP_UP_REQUIRED", "This door needs a fresh sign-in."),
            Map.entry("LOCKDOWN", "The building is locked down: only emergency staff can open doors."),
            Map.entry("DEVICE_TAMPERED", "The lock reported tampering; staff must check it first."),
            Map.entry("DEVICE_LOCKED_OUT", "The lock is in its keypad lockout; try again later."),
            Map.entry("DEVICE_OFFLINE", "The lock is offline."),
            Map.entry("LOCK_OFFLINE", "The lock is offline: nothing was sent, and nothing will open later."),
            Map.entry("LOCK_UNREACHABLE", "The lock could not be reached: nothing was sent, and nothing will open later."),
            Map.entry("LOCK_DISCONNECTED", "The lock disconnected before it confirmed; the command has expired."),
            Map.entry("NO_ACKNOWLEDGEMENT", "The lock did not confirm in time; the command has expired and will not open the door later."),
            Map.entry("RATE_LIMITED", "Too many unlocks in a short time; wait a minute."),
            Map.entry("USE_LIMIT_REACHED", "Your access allowed a limited number of entries and they are used up."),
            Map.entry("HOLIDAY", "Your access does not apply on this holiday."),
            Map.entry("SUSPENDED", "Your access is suspended today."),
            Map.entry("LOCK_FACTOR_REQUIRED", "This door needs a check at the lock itself that the app cannot do."),
            Map.entry("POLICY_UNAVAILABLE", "Access could not be checked right now; try again in a moment."),
            Map.entry("REGISTRY_UNAVAILABLE", "The lock's details could not be looked up right now; try again in a moment."),
            Map.entry("NO_ENROLLED_LOCK", "No working lock is installed on this door."),
            Map.entry("REGISTRY_CHANGE", "The door's lock changed meanwhile; try again."),
            Map.entry("APPROVAL_TIMEOUT", "Nobody approved in time."));

    /** What a door's notes mean for opening it. */
    private static final Map<String, String> NOTES = Map.of(
            "LOCKDOWN", "locked down",
            "EMERGENCY_OVERRIDE", "lockdown: emergency access",
            "STEP_UP_REQUIRED", "asks for a fresh sign-in",
            "UNUSUAL_HOURS", "outside usual hours: asks for a fresh sign-in",
            "LOCK_FACTOR_REQUIRED", "the lock checks a factor itself",
            "SECOND_APPROVER_REQUIRED", "needs a second person's approval");

    public static String reason(String code) {
        if (code == null) {
            return "";
        }
        if (code.startsWith("LOCK_REFUSED_")) {
            return "The lock refused the command (" + code.substring("LOCK_REFUSED_".length()).toLowerCase(Locale.ROOT).replace('_', ' ')
                    + "); nothing opened.";
        }
        return REASONS.getOrDefault(code, code.toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    public static String note(String code) {
        return NOTES.getOrDefault(code, code.toLowerCase(Locale.ROOT).replace('_', ' '));
    }

    /** An ISO instant as "Sat 28 Nov, 10:00 UTC"; what was given when it is not one; null for null. */
    public static String when(String instant) {
        if (instant == null) {
            return null;
        }
        try {
            return WHEN.format(Instant.parse(instant));
        } catch (DateTimeParseException e) {
            try {
                return WHEN.format(java.time.OffsetDateTime.parse(instant));
            } catch (DateTimeParseException again) {
                return instant;
            }
        }
    }
}
