package dev.portcullis.identity.oidc;

import com.nimbusds.jose.jwk.JWKSet;
import dev.portcullis.identity.signing.TokenSigner;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The issuer's public signing keys (RFC 7517). Only public parameters ever leave the signer. */
@Path("/oauth2/jwks")
public class JwksResource {

    @Inject
    TokenSigner signer;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response keys() {
        // toPublicJWK() as a second guard: even a signer that returned a private JWK publishes only the public part.
        String body = new JWKSet(signer.publicJwk().toPublicJWK()).toString(true);
        return Response.ok(body).header("Cache-Control", "public, max-age=300").build();
    }
}
