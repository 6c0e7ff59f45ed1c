package dev.portcullis.identity.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.account.AccountRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** Claims about the bearer of an access token: sub, name, org. */
@ApplicationScoped
public class Userinfo {

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    AccountRepository accounts;

    @Inject
    TokenGrants tokenGrants;

    public Uni<Map<String, Object>> claims(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new OAuthException(401, "invalid_request", "a bearer access token is required", "Bearer");
        }
        JWTClaimsSet claims = verifier.verify(authorization.substring(7).trim());
        String scope;
        UUID subject;
        try {
            scope = claims.getStringClaim("scope");
            subject = UUID.fromString(claims.getSubject());
        } catch (ParseException | IllegalArgumentException e) {
            throw OAuthException.invalidToken("the access token is malformed");
        }
        if (scope == null || !Arrays.asList(scope.split(" ")).contains("openid")) {
            throw new OAuthException(403, "insufficient_scope", "the openid scope is required",
                    "Bearer error=\"insufficient_scope\", scope=\"openid\"");
        }
        return tokenGrants.accessTokenRevoked(claims.getJWTID()).flatMap(revoked -> {
            if (revoked) {
                throw OAuthException.invalidToken("the access token was revoked");
            }
            return accounts.findActive(subject);
        }).map(account -> {
            if (account == null) {
                throw OAuthException.invalidToken("the account can no longer sign in");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("sub", account.id.toString());
            body.put("name", account.displayName);
            body.put("org", account.organizationId.toString());
            return body;
        });
    }
}
