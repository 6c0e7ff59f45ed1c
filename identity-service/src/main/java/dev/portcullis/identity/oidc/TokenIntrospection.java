package dev.portcullis.identity.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.client.OAuthClientEntity;
import dev.portcullis.identity.secret.Tokens;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Token introspection (RFC 7662) and revocation (RFC 7009) for an authenticated client. A client
 * sees and revokes only its own tokens: anything else (unknown, expired, revoked, another client's)
 * introspects as {@code {"active":false}} and revokes as a no-op, so neither endpoint tells a
 * client anything about tokens that are not its own.
 */
@ApplicationScoped
public class TokenIntrospection {

    private static final Map<String, Object> INACTIVE = Map.of("active", false);

    @Inject
    AccessTokenVerifier verifier;

    @Inject
    TokenGrants tokenGrants;

    @Inject
    RefreshTokenRepository refreshTokens;

    @Inject
    TokenGrantRepository grants;

    @Inject
    AccountRepository accounts;

    @Inject
    Clock clock;

    @WithSession
    public Uni<Map<String, Object>> introspect(OAuthClientEntity client, String token) {
        if (token == null) {
            throw OAuthException.invalidRequest("token is required");
        }
        return looksLikeJwt(token) ? introspectAccessToken(client, token) : introspectRefreshToken(client, token);
    }

    private Uni<Map<String, Object>> introspectAccessToken(OAuthClientEntity client, String token) {
        JWTClaimsSet claims;
        UUID subject;
        String clientId;
        try {
            claims = verifier.verify(token);
            clientId = claims.getStringClaim("client_id");
            subject = UUID.fromString(claims.getSubject());
        } catch (OAuthException | ParseException | IllegalArgumentException | NullPointerException e) {
            return inactive();
        }
        if (!client.clientId.equals(clientId)) {
            return inactive();
        }
        return tokenGrants.accessTokenRevoked(claims.getJWTID()).flatMap(revoked -> revoked
                ? inactive()
                : accounts.findActive(subject).map(account -> {
                    if (account == null) {
                        return INACTIVE;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("active", true);
                    body.put("scope", claims.getClaim("scope"));
                    body.put("client_id", clientId);
                    body.put("token_type", "Bearer");
                    body.put("exp", claims.getExpirationTime().getTime() / 1000);
                    body.put("iat", claims.getIssueTime().getTime() / 1000);
                    if (claims.getNotBeforeTime() != null) {
                        body.put("nbf", claims.getNotBeforeTime().getTime() / 1000);
                    }
                    body.put("sub", claims.getSubject());
                    body.put("aud", claims.getAudience());
                    body.put("iss", claims.getIssuer());
                    body.put("jti", claims.getJWTID());
                    return body;
                }));
    }

    private Uni<Map<String, Object>> introspectRefreshToken(OAuthClientEntity client, String token) {
        OffsetDateTime now = TokenGrants.utc(clock.instant());
        return refreshTokens.findById(Tokens.storageKey(token)).flatMap(refresh -> {
            if (refresh == null || refresh.usedAt != null || !now.isBefore(refresh.expiresAt)) {
                return inactive();
            }
            return grants.findById(refresh.grantId).flatMap(grant -> {
                if (grant == null || grant.revokedAt != null || !grant.clientId.equals(client.clientId) || !now.isBefore(grant.expiresAt)) {
                    return inactive();
                }
                return accounts.findActive(grant.accountId).map(account -> {
                    if (account == null) {
                        return INACTIVE;
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("active", true);
                    body.put("scope", grant.scope);
                    body.put("client_id", grant.clientId);
                    body.put("exp", refresh.expiresAt.toEpochSecond());
                    body.put("iat", refresh.createdAt.toEpochSecond());
                    body.put("sub", grant.accountId.toString());
                    return body;
                });
            });
        });
    }

    /**
     * RFC 7009: revokes the client's own token. A refresh token takes its whole grant with it (its
     * family and the access tokens issued under it); an access token is put on the revocation list.
     */
    @WithTransaction
    public Uni<Void> revoke(OAuthClientEntity client, String token) {
        if (token == null) {
            throw OAuthException.invalidRequest("token is required");
        }
        if (looksLikeJwt(token)) {
            try {
                JWTClaimsSet claims = verifier.verify(token);
                if (client.clientId.equals(claims.getStringClaim("client_id"))) {
                    return tokenGrants.revokeAccessToken(claims.getJWTID(), client.clientId, claims.getExpirationTime().toInstant());
                }
            } catch (OAuthException | ParseException | NullPointerException e) {
                // Invalid or expired: nothing to revoke (RFC 7009 §2.2 answers 200 all the same).
            }
            return Uni.createFrom().voidItem();
        }
        return refreshTokens.findById(Tokens.storageKey(token)).flatMap(refresh -> refresh == null
                ? Uni.createFrom().voidItem()
                : grants.lock(refresh.grantId).flatMap(grant -> grant == null || !grant.clientId.equals(client.clientId)
                        ? Uni.createFrom().voidItem()
                        : tokenGrants.revoke(grant, "refresh token revoked by the client")));
    }

    private static boolean looksLikeJwt(String token) {
        return token.indexOf('.') > 0;
    }

    private static Uni<Map<String, Object>> inactive() {
        return Uni.createFrom().item(INACTIVE);
    }
}
