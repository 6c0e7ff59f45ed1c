package dev.portcullis.kit.auth;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Only JWT access tokens (RFC 9068: header {@code typ} {@code at+jwt}) authenticate. An ID token or any
 * other JWT the same issuer signed is refused, so a token minted for another purpose cannot unlock.
 * quarkus-oidc has already verified signature, issuer, audience and lifetime when this runs; services
 * without bearer authentication never see a token credential, so this does nothing there.
 */
@ApplicationScoped
public class AccessTokenType implements SecurityIdentityAugmentor {

    static final String ACCESS_TOKEN_TYPE = "at+jwt";

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        TokenCredential bearer = identity.isAnonymous() ? null : identity.getCredential(TokenCredential.class);
        if (bearer == null) {
            return Uni.createFrom().item(identity);
        }
        if (!isAccessToken(bearer.getToken())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("not an access token"));
        }
        return Uni.createFrom().item(identity);
    }

    static boolean isAccessToken(String rawToken) {
        if (rawToken == null) {
            return false;
        }
        int dot = rawToken.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(rawToken.substring(0, dot)), StandardCharsets.UTF_8));
            String type = header.getString("typ");
            return type != null && (type.equalsIgnoreCase(ACCESS_TOKEN_TYPE) || type.equalsIgnoreCase("application/" + ACCESS_TOKEN_TYPE));
        } catch (RuntimeException e) {
            return false;
        }
    }
}
