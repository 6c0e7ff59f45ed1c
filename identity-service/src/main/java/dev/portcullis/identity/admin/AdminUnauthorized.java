package dev.portcullis.identity.admin;

import dev.portcullis.kit.problem.Problem;
import dev.portcullis.kit.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A missing or unusable bearer token at the admin API: 401 problem+json with a Bearer challenge (RFC 6750 §3). */
public class AdminUnauthorized extends RuntimeException {

    public AdminUnauthorized(String detail) {
        super(detail, null, false, false);
    }

    public static class Mapper {

        @ServerExceptionMapper
        public Response map(AdminUnauthorized e, UriInfo uri) {
            String error = e.getMessage().startsWith("A bearer") ? "" : ", error=\"invalid_token\"";
            return Response.status(401)
                    .type(Problem.MEDIA_TYPE)
                    .header("WWW-Authenticate", "Bearer realm=\"portcullis-admin\"" + error)
                    .header("Cache-Control", "no-store")
                    .entity(ProblemException.unauthorized(e.getMessage()).toProblem(uri.getPath()))
                    .build();
        }
    }
}
