package dev.portcullis.console.action;

import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A service asked for a stronger sign-in (RFC 9470): a page that explains it and links to the step-up. */
public class ActionProblems {

    @Inject
    @Location("step-up")
    Template stepUp;

    /** 401 page that explains the step-up and links to {@code /step-up}, which signs the operator in again. */
    @ServerExceptionMapper
    public Response stepUp(StepUpRequiredException e) {
        return Response.status(401).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(stepUp.data("link", StepUpPage.link(e)).data("maxAge", e.maxAge()).render()).build();
    }
}
