package dev.portcullis.console.operator;

import io.quarkus.oidc.AccessTokenCredential;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * The operator signed in to this request: the access token identity-service issued at login (already
 * verified by quarkus-oidc, which also took the roles from it), passed as is to device-registry, and the
 * organization it names ({@code org}). The console never widens it: the registry checks it again.
 */
@RequestScoped
public class SignedInOperator {

    @Inject
    AccessTokenCredential accessToken;

    public String accessToken() {
        return accessToken.getToken();
    }

    /** The {@code org} claim of the (verified) access token. */
    public UUID organizationId() {
        String[] parts = accessToken.getToken().split("\\.");
        if (parts.length != 3) {
            throw new NotAnOperatorException("The access token is not a JWT");
        }
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        String org = claims.getString("org");
        if (org == null) {
            throw new NotAnOperatorException("The access token names no organization");
        }
        try {
            return UUID.fromString(org);
        } catch (IllegalArgumentException e) {
            throw new NotAnOperatorException("The access token's organization is not an id");
        }
    }
}
