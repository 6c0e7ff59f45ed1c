package dev.portcullis.console;

import dev.portcullis.console.operator.NotAnOperatorException;
import dev.portcullis.console.registry.RegistryUnavailableException;
import io.quarkus.qute.Template;
import io.quarkus.security.ForbiddenException;
import jakarta.inject.Inject;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every refusal or failure is a small HTML page with a clear sentence, never a stack trace. */
public class ErrorPages {

    private static final Logger LOG = Logger.getLogger(ErrorPages.class);

    @Inject
    Template problem;

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return page(Response.Status.FORBIDDEN, "Not an operator",
                "You are signed in, but these pages are for operators of an organization. Your account has no operator role.");
    }

    @ServerExceptionMapper
    public Response notAnOperator(NotAnOperatorException e) {
        return page(Response.Status.FORBIDDEN, "Not an operator", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return page(Response.Status.NOT_FOUND, "Not found", "There is no such page or lock in your organization.");
    }

    @ServerExceptionMapper
    public Response registryUnavailable(RegistryUnavailableException e) {
        LOG.warn(e.getMessage());
        return page(Response.Status.BAD_GATEWAY, "Registry unavailable",
                "The device registry could not be asked right now. Try again in a moment.");
    }

    private Response page(Response.Status status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(problem.data("title", title).data("message", message).data("status", status.getStatusCode()).render())
                .build();
    }
}
