package dev.portcullis.identity.oidc;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

/** Token introspection (RFC 7662) and revocation (RFC 7009); both authenticate the client like the token endpoint. */
@Path("/oauth2")
public class TokenIntrospectionResource {

    @Inject
    TokenService tokenService;

    @Inject
    TokenIntrospection introspection;

    @POST
    @Path("/introspect")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> introspect(MultivaluedMap<String, String> form, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return tokenService.authenticateClient(form, authorization)
                .flatMap(client -> introspection.introspect(client, TokenService.value(form, "token")))
                .map(body -> Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build());
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> revoke(MultivaluedMap<String, String> form, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return tokenService.authenticateClient(form, authorization)
                .flatMap(client -> introspection.revoke(client, TokenService.value(form, "token")))
                .map(ignored -> Response.ok().header("Cache-Control", "no-store").header("Pragma", "no-cache").build());
    }
}
