package dev.portcullis.identity.oidc;

import dev.portcullis.identity.signing.TokenSigner;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The issuer's public signing keys (RFC 7517): active, next and recently retired. Only public parameters ever leave the signer. */
@Path("/oauth2/jwks")
public class JwksResource {

    @Inject
    TokenSigner signer;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response keys() {
        // toPublicJWKSet() as a second guard: even a signer that returned private JWKs publishes only public parts.
        String body = signer.publishedKeys().toPublicJWKSet().toString(true);
        return Response.ok(body).header("Cache-Control", "public, max-age=300").build();
    }
}
