package dev.portcullis.kit.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure the client should hear about, as RFC 9457 problem+json. The detail is written for the
 * client: never put secrets, stack traces or internal identifiers into it.
 */
public class ProblemException extends RuntimeException {

    private static final String TYPE_BASE = "https://portcullis.dev/problems/";

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration retryAfter;

    public ProblemException(int status, String slug, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = TYPE_BASE + slug;
        this.title = title;
    }

    public static ProblemException badRequest(String slug, String detail) {
        return new ProblemException(400, slug, "Bad request", detail);
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(401, "unauthorized", "Unauthorized", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "forbidden", "Forbidden", detail);
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(404, "not-found", "Not found", what + " was not found");
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(409, slug, "Conflict", detail);
    }

    public static ProblemException unavailable(String detail, Duration retryAfter) {
        return new ProblemException(503, "unavailable", "Service unavailable", detail).retryAfter(retryAfter);
    }

    public ProblemException with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    /** A response header to send with the problem, e.g. an RFC 9470 {@code WWW-Authenticate} challenge. */
    public ProblemException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public Map<String, String> headers() {
        return Map.copyOf(headers);
    }

    public ProblemException retryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
        return this;
    }

    public int status() {
        return status;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public Problem toProblem(String instance) {
        return new Problem(type, title, status, getMessage(), instance, extensions.isEmpty() ? null : Map.copyOf(extensions));
    }
}
