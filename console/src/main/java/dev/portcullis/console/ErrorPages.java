package dev.portcullis.console;

import dev.portcullis.console.form.FormToken;
import dev.portcullis.console.operator.NotAnOperatorException;
import dev.portcullis.console.peer.PeerRefusedException;
import dev.portcullis.console.peer.PeerUnavailableException;
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

    /** A service the page needs failed or did not answer: 502 naming it; the detail goes to the log only. */
    @ServerExceptionMapper
    public Response peerUnavailable(PeerUnavailableException e) {
        LOG.warn(e.getMessage());
        String name = switch (e.peer()) {
            case "device-registry" -> "Registry";
            case "audit-service" -> "Audit service";
            case "policy-service" -> "Policy service";
            case "command-service" -> "Command service";
            default -> "Service";
        };
        return page(Response.Status.BAD_GATEWAY, name + " unavailable", "The " + name.toLowerCase(java.util.Locale.ROOT)
                + " could not be asked right now. Nothing was changed by the console; try again in a moment.");
    }

    /** A service refused the request with a sentence meant for people (400, 403 with a reason, 409, 422). */
    @ServerExceptionMapper
    public Response peerRefused(PeerRefusedException e) {
        return page(Response.Status.fromStatusCode(e.status()), e.title(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response formToken(FormToken.FormTokenRefusedException e) {
        return page(Response.Status.FORBIDDEN, "Form not accepted",
                "This form did not come from your current console session (it may be from an earlier sign-in). Nothing was done: open the page again and resubmit.");
    }

    private Response page(Response.Status status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(problem.data("title", title).data("message", message).data("status", status.getStatusCode()).render())
                .build();
    }
}
