package dev.portcullis.console.audit;

import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The read views' failures as small pages (the same {@code problem} template as the rest of the console). */
public class ViewProblems {

    private static final Logger LOG = Logger.getLogger(ViewProblems.class);

    @Inject
    Template problem;

    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailableException e) {
        LOG.warn(e.getMessage());
        String name = Character.toUpperCase(e.service().charAt(0)) + e.service().substring(1);
        return page(Response.Status.BAD_GATEWAY, name + " unavailable", "The " + e.service()
                + " could not be asked right now. Try again in a moment.");
    }

    @ServerExceptionMapper
    public Response refused(ServiceRefusedException e) {
        return page(Response.Status.fromStatusCode(e.status()), e.status() == 409 ? "Conflict" : "Not accepted", e.getMessage());
    }

    @ServerExceptionMapper
    public Response formTokenMissing(dev.portcullis.console.alert.FormTokens.MissingFormTokenException e) {
        return page(Response.Status.FORBIDDEN, "Form expired",
                "This form was not sent from a page of your current sign-in. Reload the page and try again.");
    }

    private Response page(Response.Status status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(problem.data("title", title).data("message", message).data("status", status.getStatusCode()).render())
                .build();
    }
}
