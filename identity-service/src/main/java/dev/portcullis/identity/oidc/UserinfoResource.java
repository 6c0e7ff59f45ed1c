package dev.portcullis.identity.oidc;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** OIDC UserInfo (OIDC Core §5.3), for a bearer access token of this issuer. */
@Path("/oauth2/userinfo")
public class UserinfoResource {

    @Inject
    Userinfo userinfo;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> get(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return userinfo.claims(authorization).map(UserinfoResource::respond);
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> post(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return get(authorization);
    }

    private static Response respond(Map<String, Object> claims) {
        return Response.ok(claims).header("Cache-Control", "no-store").build();
    }
}
