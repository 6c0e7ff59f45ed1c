package dev.portcullis.audit.query;

import dev.portcullis.kit.problem.ProblemException;
import java.util.regex.Pattern;

/**
 * The query's parameters, validated. Entries come newest first (descending sequence); {@code after}
 * is the cursor: only entries with a sequence below it.
 */
public record AuditFilter(String doorId, String lockId, String actionAttemptId, int limit, Long after) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 500;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,256}");

    public static AuditFilter parse(String doorId, String lockId, String actionAttemptId, String limit, String after) {
        return new AuditFilter(identifier("doorId", doorId), identifier("lockId", lockId),
                identifier("actionAttemptId", actionAttemptId), limit(limit), cursor(after));
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
