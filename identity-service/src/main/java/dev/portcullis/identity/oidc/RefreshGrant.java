package dev.portcullis.identity.oidc;

import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.client.OAuthClientEntity;
import dev.portcullis.identity.secret.Tokens;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;

/**
 * The refresh_token grant (RFC 6749 §6) with rotation: every use spends the token and issues its
 * successor in the same family; presenting a spent token again (reuse, RFC 9700 §4.14.2) revokes the
 * whole family, successors and access tokens included.
 */
@ApplicationScoped
public class RefreshGrant {

    @Inject
    RefreshTokenRepository refreshTokens;

    @Inject
    TokenGrantRepository grants;

    @Inject
    TokenGrants tokenGrants;

    @Inject
    AccountRepository accounts;

    @Inject
    TokenMinter minter;

    @Inject
    Clock clock;

    /** The outcome of one use; a refusal is returned (not thrown) so a revocation it caused commits. */
    record Outcome(TokenMinter.Minted minted, String refusal) {
    }

    public Uni<TokenMinter.Minted> exchange(OAuthClientEntity client, String refreshToken, String scope) {
        if (refreshToken == null) {
            throw OAuthException.invalidRequest("refresh_token is required");
        }
        List<String> narrowed = scope == null ? null : Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).distinct().toList();
        return rotate(client, refreshToken, narrowed).map(outcome -> {
            if (outcome.refusal() != null) {
                throw OAuthException.invalidGrant(outcome.refusal());
            }
            return outcome.minted();
        });
    }

    @WithTransaction
    Uni<Outcome> rotate(OAuthClientEntity client, String value, List<String> narrowed) {
        OffsetDateTime now = TokenGrants.utc(clock.instant());
        return refreshTokens.lock(Tokens.storageKey(value)).flatMap(token -> {
            if (token == null) {
                return refused("the refresh token is invalid");
            }
            return grants.lock(token.grantId).flatMap(grant -> {
                if (grant == null || !grant.clientId.equals(client.clientId)) {
                    // Bound to its client: another client learns nothing and changes nothing.
                    return refused("the refresh token is invalid");
                }
                if (grant.revokedAt != null) {
                    return refused("the refresh token was revoked");
                }
                if (token.usedAt != null) {
                    return tokenGrants.revoke(grant, "refresh token reused")
                            .replaceWith(new Outcome(null, "the refresh token was already used; its family is revoked"));
                }
                if (!now.isBefore(token.expiresAt) || !now.isBefore(grant.expiresAt)) {
                    return refused("the refresh token has expired");
                }
                List<String> granted = Arrays.asList(grant.scope.split(" "));
                if (narrowed != null && !granted.containsAll(narrowed)) {
                    throw new OAuthException(400, "invalid_scope", "the requested scope exceeds the original grant", null);
                }
                if (narrowed != null && !narrowed.contains("openid")) {
                    throw new OAuthException(400, "invalid_scope", "the openid scope is required", null);
                }
                return accounts.findActive(grant.accountId).flatMap(account -> {
                    if (account == null) {
                        return tokenGrants.revoke(grant, "account disabled or deleted")
                                .replaceWith(new Outcome(null, "the account can no longer sign in"));
                    }
                    token.usedAt = now;
                    String scope = narrowed == null ? grant.scope : String.join(" ", narrowed);
                    TokenMinter.Minted minted = minter.mint(new TokenMinter.Grant(grant.clientId, scope, null, grant.authTime,
                            grant.amr, grant.acr, grant.id.toString()), account);
                    return tokenGrants.record(grant, minted).map(issued -> new Outcome(issued, null));
                });
            });
        });
    }

    private static Uni<Outcome> refused(String reason) {
        return Uni.createFrom().item(new Outcome(null, reason));
    }
}
