package dev.portcullis.console.action;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** How refused or failed operator actions are shown: a page with a clear sentence, never a stack trace. */
public class ActionProblems {

    private static final Logger LOG = Logger.getLogger(ActionProblems.class);

    @Inject
    Template problem;

    @Inject
    @Location("step-up")
    Template stepUp;

    @ServerExceptionMapper
    public Response refused(ActionRefusedException e) {
        return page(e.status(), e.title(), e.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(PeerUnavailableException e) {
        LOG.warn(e.getMessage());
        return page(502, "Service unavailable", e.peer() + " could not be asked right now. Nothing was changed by the console; try again in a moment.");
    }

    @ServerExceptionMapper
    public Response formToken(FormToken.FormTokenRefusedException e) {
        return page(403, "Form not accepted",
                "This form did not come from your current console session (it may be from an earlier sign-in). Nothing was done: open the page again and resubmit.");
    }

    /** 401 page that explains the step-up and links to {@code /step-up}, which signs the operator in again. */
    @ServerExceptionMapper
    public Response stepUp(StepUpRequiredException e) {
        return Response.status(401).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(stepUp.data("link", StepUpPage.link(e)).data("maxAge", e.maxAge()).render()).build();
    }

    private Response page(int status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(problem.data("title", title).data("message", message).data("status", status).render())
                .build();
    }
}
