package dev.portcullis.console.tenant;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The tenant pages' refusals and failures as small pages with a clear sentence (the detail goes to the log). */
public class TenantErrorPages {

    private static final Logger LOG = Logger.getLogger(TenantErrorPages.class);

    @Inject
    @Location("tenant-problem.html")
    Template problem;

    @ServerExceptionMapper
    public Response csrfRefused(CsrfRefusedException e) {
        LOG.warn(e.getMessage());
        return page(Response.Status.FORBIDDEN, "Form expired",
                "This form could not be accepted: it expired or was sent from another site. Nothing was done. Reload the page and try again.");
    }

    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailableException e) {
        LOG.warn(e.getMessage());
        return page(Response.Status.BAD_GATEWAY, "Service unavailable", "This could not be done right now. Try again in a moment.");
    }

    private Response page(Response.Status status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(problem.data("title", title).data("message", message).render()).build();
    }
}
