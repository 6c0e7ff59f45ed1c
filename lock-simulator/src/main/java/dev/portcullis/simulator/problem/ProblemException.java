package dev.portcullis.simulator.problem;

/**
 * A failure the admin API client should hear about, as problem+json. (The simulator has no database,
 * so it does not pull in service-kit; this mirrors the kit's problem types.)
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    static final String TYPE_BASE = "https://portcullis.dev/problems/";

    private final int status;
    private final String type;
    private final String title;

    public ProblemException(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = TYPE_BASE + slug;
        this.title = title;
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(400, slug, "Bad request", detail);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not found", what + " was not found");
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(409, slug, "Conflict", detail);
    }

    public int status() {
        return status;
    }

    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance);
    }
}
