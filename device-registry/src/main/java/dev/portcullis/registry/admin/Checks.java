package dev.portcullis.registry.admin;

import dev.portcullis.kit.problem.ProblemException;
import io.vertx.pgclient.PgException;
import java.util.UUID;

/** Field checks and error translation of the admin API: each failure is a problem naming the field. */
public final class Checks {

    private Checks() {
    }

    public static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-request", detail);
    }

    public static ProblemException unprocessable(String slug, String detail) {
        return new ProblemException(422, slug, "Unprocessable content", detail);
    }

    public static <T> T body(T body) {
        if (body == null) {
            throw invalid("A JSON body is required");
        }
        return body;
    }

    /** An id from the path: anything that is not a UUID names nothing, so 404. */
    public static UUID pathId(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound(what);
        }
    }

    public static String name(String value, String field, int maxLength) {
        if (value == null || value.isBlank()) {
            throw invalid(field + " is required");
        }
        String trimmed = value.strip();
        if (trimmed.length() > maxLength) {
            throw invalid(field + " is longer than " + maxLength + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw invalid(field + " must not contain control characters");
        }
        return trimmed;
    }

    public static <T> T required(T value, String field) {
        if (value == null) {
            throw invalid(field + " is required");
        }
        return value;
    }

    /** Maps database constraint failures to problems; anything else passes through. */
    public static Throwable translate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException) {
                return t;
            }
            if (t instanceof PgException pg && pg.getSqlState() != null) {
                return switch (pg.getSqlState()) {
                    case "23505" -> ProblemException.conflict("duplicate", "An object with this name (or serial number) already exists here");
                    case "23503" -> ProblemException.conflict("in-use", "Other objects still refer to this one, or it refers to one that does not exist");
                    case "23514" -> unprocessable("constraint", "The values are not acceptable");
                    default -> failure;
                };
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return failure;
    }
}
