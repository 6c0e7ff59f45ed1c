package dev.portcullis.policy.admin;

import dev.portcullis.kit.auth.AssuranceLevel;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.policy.engine.Role;
import dev.portcullis.policy.grant.WeeklySchedule;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.UUID;

/** Field checks of the admin API: each failure is a 400 problem naming the field. */
final class Checks {

    private Checks() {
    }

    static UUID organization(String path) {
        try {
            return UUID.fromString(path);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("The organization");
        }
    }

    static UUID id(String path, String what) {
        try {
            return UUID.fromString(path);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(what);
        }
    }

    static <T> T body(T body) {
        if (body == null) {
            throw Problems.invalid("A JSON body is required");
        }
        return body;
    }

    static String name(String value, String field) {
        if (value == null || value.isBlank()) {
            throw Problems.invalid(field + " is required");
        }
        if (value.length() > 200) {
            throw Problems.invalid(field + " is longer than 200 characters");
        }
        return value.trim();
    }

    static Object required(Object value, String field) {
        if (value == null) {
            throw Problems.invalid(field + " is required");
        }
        return value;
    }

    static String zone(String value) {
        try {
            return ZoneId.of(name(value, "timeZone")).getId();
        } catch (DateTimeException e) {
            throw Problems.invalid("timeZone is not a known time zone (e.g. Europe/Berlin)");
        }
    }

    static String acr(String value, String field) {
        if (value != null && !AssuranceLevel.known(value)) {
            throw Problems.invalid(field + " must be one of aal1, aal2, phr");
        }
        return value;
    }

    static Integer positive(Integer value, String field) {
        if (value != null && value <= 0) {
            throw Problems.invalid(field + " must be positive");
        }
        return value;
    }

    static String role(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return Role.of(value).code();
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(field + ": " + e.getMessage());
        }
    }

    static WeeklySchedule schedule(String value, String field) {
        try {
            return WeeklySchedule.parse(value);
        } catch (IllegalArgumentException e) {
            throw Problems.invalid(field + ": " + e.getMessage());
        }
    }
}
