package dev.portcullis.kit.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error a REST client sees is problem+json; no stack trace ever reaches it. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri) {
        return respond(e, uri);
    }

    @ServerExceptionMapper
    public Response malformedJson(JsonProcessingException e, UriInfo uri) {
        return respond(ProblemException.badRequest("malformed-body", "The request body is not valid JSON for this operation"), uri);
    }

    /** Also catches what Quarkus would otherwise answer itself as plain JSON: a field the operation does not know. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        if (e instanceof UnrecognizedPropertyException unknown && unknown.getPropertyName() != null
                && unknown.getPropertyName().matches("[A-Za-z0-9_]{1,64}")) {
            return respond(ProblemException.badRequest("malformed-body", "Unknown field '" + unknown.getPropertyName() + "'"), uri);
        }
        return malformedJson(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response original = e.getResponse();
        int status = original.getStatus();
        String title = original.getStatusInfo().getReasonPhrase();
        ProblemException problem = new ProblemException(status, slug(title), title, title);
        Response.ResponseBuilder builder = Response.status(status)
                .type(Problem.MEDIA_TYPE)
                .entity(problem.toProblem(uri.getPath()));
        original.getHeaders().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type") && !name.equalsIgnoreCase("Content-Length")) {
                values.forEach(value -> builder.header(name, value));
            }
        });
        return builder.build();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        if (isUnavailable(e)) {
            LOG.warnf("dependency unavailable on %s: %s", uri.getPath(), e.toString());
            return respond(ProblemException.unavailable("A dependency is unavailable; retry shortly", RETRY_AFTER), uri);
        }
        String incident = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error on %s (incident %s)", uri.getPath(), incident);
        return respond(new ProblemException(500, "internal", "Internal error", "An unexpected error occurred")
                .with("incident", incident), uri);
    }

    /** True when the failure means a database, broker or peer could not be reached (fail fast, retry later). */
    public static boolean isUnavailable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            // SocketException: a connection reset mid-transaction (the database was stopped under the request).
            if (t instanceof ConnectException || t instanceof ClosedConnectionException || t instanceof TimeoutException
                    || t instanceof SocketException) {
                return true;
            }
            if (t instanceof io.vertx.pgclient.PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("57P"))) {
                return true;
            }
            String message = String.valueOf(t.getMessage());
            if (message.contains("Connection refused") || message.contains("Pool closed")) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    private static Response respond(ProblemException e, UriInfo uri) {
        Response.ResponseBuilder builder = Response.status(e.status())
                .type(Problem.MEDIA_TYPE)
                .entity(e.toProblem(uri.getPath()));
        if (e.retryAfter() != null) {
            builder.header("Retry-After", e.retryAfter().toSeconds());
        }
        e.headers().forEach(builder::header);
        return builder.build();
    }

    private static String slug(String title) {
        return title.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }
}
