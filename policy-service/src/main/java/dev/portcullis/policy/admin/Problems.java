package dev.portcullis.policy.admin;

import dev.portcullis.kit.problem.ProblemException;

/** The admin API's problems beyond service-kit's: 422 for well-formed requests that cannot be applied. */
final class Problems {

    private Problems() {
    }

    static ProblemException unprocessable(String slug, String detail) {
        return new ProblemException(422, slug, "Unprocessable content", detail);
    }

    static ProblemException invalid(String detail) {
        return ProblemException.badRequest("invalid-request", detail);
    }

    /** Maps database constraint failures to problems; anything else passes through. */
    static Throwable translate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof ProblemException) {
                return t;
            }
            String state = t instanceof io.vertx.pgclient.PgException pg ? pg.getSqlState()
                    : t instanceof java.sql.SQLException sql ? sql.getSQLState() : null;
            if (state != null) {
                return switch (state) {
                    case "23503" -> ProblemException.conflict("in-use", "Other policy data still refers to this object, "
                            + "or it refers to something that does not exist");
                    case "23505" -> ProblemException.conflict("duplicate", "This already exists");
                    case "23514", "22P02", "22007", "22008" -> unprocessable("constraint", "The values are not acceptable");
                    default -> failure;
                };
            }
        }
        return failure;
    }
}
