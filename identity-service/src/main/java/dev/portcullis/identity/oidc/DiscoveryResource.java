package dev.portcullis.identity.oidc;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.dpop.JwsAlgorithms;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** OpenID Provider metadata (OIDC Discovery 1.0 §3, RFC 8414). */
@Path("/.well-known/openid-configuration")
public class DiscoveryResource {

    public static final List<String> SCOPES = List.of("openid", "profile", "unlock", "offline_access");

    @Inject
    IdentityConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response metadata() {
        String issuer = config.issuer();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("issuer", issuer);
        metadata.put("authorization_endpoint", issuer + "/oauth2/authorize");
        metadata.put("token_endpoint", issuer + "/oauth2/token");
        metadata.put("jwks_uri", issuer + "/oauth2/jwks");
        metadata.put("userinfo_endpoint", issuer + "/oauth2/userinfo");
        metadata.put("revocation_endpoint", issuer + "/oauth2/revoke");
        metadata.put("revocation_endpoint_auth_methods_supported", List.of("none", "client_secret_basic"));
        metadata.put("introspection_endpoint", issuer + "/oauth2/introspect");
        metadata.put("introspection_endpoint_auth_methods_supported", List.of("none", "client_secret_basic"));
        metadata.put("end_session_endpoint", issuer + "/oauth2/logout");
        metadata.put("response_types_supported", List.of("code"));
        metadata.put("response_modes_supported", List.of("query"));
        metadata.put("grant_types_supported", List.of("authorization_code", "refresh_token", ClientCredentialsGrant.GRANT_TYPE));
        metadata.put("code_challenge_methods_supported", List.of("S256"));
        metadata.put("id_token_signing_alg_values_supported", List.of("ES256"));
        metadata.put("subject_types_supported", List.of("public"));
        metadata.put("scopes_supported", SCOPES);
        metadata.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "amr", "acr", "sid", "name",
                "org", "roles"));
        metadata.put("acr_values_supported", AcrLevels.SUPPORTED);
        metadata.put("token_endpoint_auth_methods_supported", List.of("none", "client_secret_basic", "private_key_jwt"));
        List<String> asymmetric = JwsAlgorithms.ASYMMETRIC.stream().map(Object::toString).sorted().toList();
        metadata.put("token_endpoint_auth_signing_alg_values_supported", asymmetric);
        metadata.put("dpop_signing_alg_values_supported", asymmetric);
        metadata.put("authorization_response_iss_parameter_supported", true);
        metadata.put("request_parameter_supported", false);
        metadata.put("request_uri_parameter_supported", false);
        metadata.put("claims_parameter_supported", false);
        return Response.ok(metadata).header("Cache-Control", "public, max-age=300").build();
    }
}
