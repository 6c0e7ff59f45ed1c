package dev.portcullis.audit.export;

import dev.portcullis.kit.problem.ProblemException;
import java.util.regex.Pattern;

/**
 * What to export: sequences {@code [from, to]}, optionally one door, lock, credential or property (its doors),
 * at most {@code limit} entries.
 */
public record ExportFilter(long from, long to, String doorId, String lockId, String credentialId, String propertyId, int limit) {

    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10000;

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:@/+=-]{1,256}");

    public static ExportFilter parse(String from, String to, String doorId, String lockId, String credentialId, String propertyId,
            String limit) {
        long first = number("from", from, 1, 1, Long.MAX_VALUE);
        long last = number("to", to, Long.MAX_VALUE, 1, Long.MAX_VALUE);
        if (last < first) {
            throw ProblemException.badRequest("invalid-parameter", "to must not be below from").with("parameter", "to");
        }
        return new ExportFilter(first, last, identifier("doorId", doorId), identifier("lockId", lockId),
                identifier("credentialId", credentialId), identifier("propertyId", propertyId), (int) number("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
    }

    private static long number(String name, String value, long absent, long min, long max) {
        if (value == null) {
            return absent;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ProblemException.badRequest("invalid-parameter", name + " must be a whole number from " + min
                + (max == Long.MAX_VALUE ? "" : " to " + max)).with("parameter", name);
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
}
