package dev.portcullis.audit.query;

import dev.portcullis.kit.problem.ProblemException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * The query's parameters, validated. Entries come newest first (descending sequence); {@code after}
 * is the cursor: only entries with a sequence below it. {@code from} (inclusive) and {@code to}
 * (exclusive) bound when the event occurred.
 */
public record AuditFilter(String doorId, String lockId, String actionAttemptId, String actorId, String type, String outcome,
        String method, String credentialId, String propertyId, Instant from, Instant to, int limit, Long after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,256}");
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9_]{1,64}");

    /** The query parameters as received (any may be null). */
    public record Parameters(String doorId, String lockId, String actionAttemptId, String actorId, String type, String outcome,
            String method, String credentialId, String propertyId, String from, String to, String limit, String after) {
    }

    public static AuditFilter parse(Parameters p) {
        Instant from = instant("from", p.from());
        Instant to = instant("to", p.to());
        if (from != null && to != null && !from.isBefore(to)) {
            throw ProblemException.badRequest("invalid-parameter", "from must be before to").with("parameter", "from");
        }
        return new AuditFilter(identifier("doorId", p.doorId()), identifier("lockId", p.lockId()),
                identifier("actionAttemptId", p.actionAttemptId()), identifier("actorId", p.actorId()), token("type", p.type()),
                token("outcome", p.outcome()), token("method", p.method()), identifier("credentialId", p.credentialId()),
                identifier("propertyId", p.propertyId()), from, to, limit(p.limit()), cursor(p.after()));
    }

    private static String identifier(String name, String value) {
        if (value == null) {
            return null;
        }
        if (!IDENTIFIER.matcher(value).matches()) {
            throw ProblemException.badRequest("invalid-parameter", name + " must be an identifier (1 to 256 letters, digits or ._:@/+=-)")
                    .with("parameter", name);
        }
        return value;
    }

    private static String token(String name, String value) {
        if (value == null) {
            return null;
        }
        if (!TOKEN.matcher(value).matches()) {
            throw ProblemException.badRequest("invalid-parameter", name + " must be a lower-case name such as unlock_decided, denied or app")
                    .with("parameter", name);
        }
        return value;
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("invalid-parameter", name + " must be an RFC 3339 UTC time, e.g. 2026-11-23T13:30:00Z")
                    .with("parameter", name);
        }
    }

    private static int limit(String value) {
        if (value == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(value);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("invalid-parameter", "limit must be a whole number from 1 to " + MAX_LIMIT)
                .with("parameter", "limit");
    }

    private static Long cursor(String value) {
        if (value == null) {
            return null;
        }
        try {
            long after = Long.parseLong(value);
            if (after >= 1) {
                return after;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("invalid-parameter", "after must be a sequence number (a whole number from 1)")
                .with("parameter", "after");
    }
}
