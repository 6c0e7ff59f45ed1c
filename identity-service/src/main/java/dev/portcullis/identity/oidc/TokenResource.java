package dev.portcullis.identity.oidc;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The OAuth 2.0 token endpoint (RFC 6749 §3.2). */
@Path("/oauth2/token")
public class TokenResource {

    @Inject
    TokenService tokens;

    @Inject
    ClientCredentialsGrant clientCredentials;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> token(MultivaluedMap<String, String> form, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpHeaders headers) {
        List<String> dpop = headers.getRequestHeader("DPoP");
        if (ClientCredentialsGrant.GRANT_TYPE.equals(form.getFirst("grant_type"))) {
            return clientCredentials.exchange(form, authorization, dpop).map(ClientCredentialsGrant.Issued::response);
        }
        if (dpop != null && !dpop.isEmpty()) {
            throw ClientCredentialsGrant.invalidDpop("DPoP-bound tokens are issued by the client_credentials grant only");
        }
        return tokens.exchange(form, authorization).map(minted -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", minted.accessToken());
            body.put("token_type", "Bearer");
            body.put("expires_in", minted.expiresIn());
            if (minted.refreshToken() != null) {
                body.put("refresh_token", minted.refreshToken());
            }
            if (minted.idToken() != null) {
                body.put("id_token", minted.idToken());
            }
            body.put("scope", minted.scope());
            return Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
        });
    }
}
