package dev.portcullis.identity.oidc;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.secret.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Grants (one per redeemed authorization code), their refresh-token families and the access tokens
 * issued under them; revoking a grant revokes every token it issued.
 */
@ApplicationScoped
public class TokenGrants {

    private static final Logger LOG = Logger.getLogger(TokenGrants.class);

    /** The scope that asks for a refresh token (OIDC Core §11). */
    public static final String OFFLINE_ACCESS = "offline_access";

    @Inject
    TokenGrantRepository grants;

    @Inject
    RefreshTokenRepository refreshTokens;

    @Inject
    AccessTokenRepository accessTokens;

    @Inject
    AuthorizationCodeRepository codes;

    @Inject
    TokenMinter minter;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    /**
     * Mints the tokens of a freshly redeemed code and records them under a new grant: a refresh token
     * when the scope includes offline_access. Refused when the code was meanwhile presented again
     * (the code row lock orders this against {@link #revokeForReusedCode}).
     */
    @WithTransaction
    public Uni<TokenMinter.Minted> issueForCode(AuthorizationCodeEntity code, AccountEntity account) {
        return codes.lock(code.codeHash).flatMap(row -> {
            if (row == null || row.reusedAt != null) {
                throw OAuthException.invalidGrant("the code is invalid or was already used");
            }
            Instant now = clock.instant();
            TokenGrantEntity grant = new TokenGrantEntity();
            grant.id = UUID.randomUUID();
            grant.clientId = code.clientId;
            grant.accountId = account.id;
            grant.codeHash = code.codeHash;
            grant.scope = code.scope;
            grant.authTime = code.authTime;
            grant.amr = code.amr;
            grant.acr = code.acr;
            grant.createdAt = utc(now);
            grant.expiresAt = utc(now.plus(config.refreshToken().absoluteLifetime()));
            TokenMinter.Minted minted = minter.mint(TokenMinter.Grant.of(code, grant.id.toString()), account);
            return grants.persist(grant).flatMap(saved -> record(grant, minted));
        });
    }

    /** Records the access token and, when the grant's scope asks for it, issues a new refresh token of the family. */
    Uni<TokenMinter.Minted> record(TokenGrantEntity grant, TokenMinter.Minted minted) {
        AccessTokenEntity access = new AccessTokenEntity();
        access.jti = minted.accessTokenId();
        access.grantId = grant.id;
        access.clientId = grant.clientId;
        access.expiresAt = utc(minted.accessTokenExpiry());
        Uni<AccessTokenEntity> saved = accessTokens.persist(access);
        if (!Arrays.asList(grant.scope.split(" ")).contains(OFFLINE_ACCESS)) {
            return saved.replaceWith(minted);
        }
        String value = Tokens.random256();
        RefreshTokenEntity refresh = new RefreshTokenEntity();
        refresh.tokenHash = Tokens.storageKey(value);
        refresh.grantId = grant.id;
        refresh.createdAt = utc(clock.instant());
        OffsetDateTime idle = utc(clock.instant().plus(config.refreshToken().idleLifetime()));
        refresh.expiresAt = idle.isBefore(grant.expiresAt) ? idle : grant.expiresAt;
        return saved.flatMap(ignored -> refreshTokens.persist(refresh)).replaceWith(minted.withRefreshToken(value));
    }

    /**
     * RFC 6749 §4.1.2: a code presented again is refused and what it issued is revoked. Marks the code
     * (under its row lock) and revokes the grant its first redemption created, if any.
     */
    @WithTransaction
    public Uni<Void> revokeForReusedCode(String codeHash) {
        return codes.lock(codeHash).flatMap(row -> {
            if (row != null && row.reusedAt == null) {
                row.reusedAt = utc(clock.instant());
            }
            return grants.findByCode(codeHash);
        }).flatMap(grant -> grant == null ? Uni.createFrom().voidItem() : revoke(grant, "authorization code reused"));
    }

    /** Revokes the grant: its refresh tokens die with it, and its access tokens join the revocation list. Call in a transaction. */
    Uni<Void> revoke(TokenGrantEntity grant, String reason) {
        if (grant.revokedAt != null) {
            return Uni.createFrom().voidItem();
        }
        OffsetDateTime now = utc(clock.instant());
        grant.revokedAt = now;
        grant.revokedReason = reason;
        LOG.infof("token grant %s of client %s revoked: %s", grant.id, grant.clientId, reason);
        return accessTokens.update("revokedAt = ?1 where grantId = ?2 and revokedAt is null", now, grant.id).replaceWithVoid();
    }

    /** Revokes the grant with this id (RP-initiated logout: the ID token's sid) if it belongs to the client. */
    @WithTransaction
    public Uni<Void> revokeSignIn(UUID grantId, String clientId, String reason) {
        return grants.lock(grantId).flatMap(grant -> grant == null || !grant.clientId.equals(clientId)
                ? Uni.createFrom().voidItem()
                : revoke(grant, reason));
    }

    /**
     * Revokes every grant of the account at once (its refresh families and recorded access tokens):
     * for disabling or deleting an account.
     */
    @WithTransaction
    public Uni<Void> revokeAllOf(UUID accountId, String reason) {
        OffsetDateTime now = utc(clock.instant());
        LOG.infof("every token grant of account %s revoked: %s", accountId, reason);
        return accessTokens.update("revokedAt = ?1 where revokedAt is null and grantId in "
                        + "(select g.id from TokenGrantEntity g where g.accountId = ?2)", now, accountId)
                .flatMap(ignored -> grants.update("revokedAt = ?1, revokedReason = ?2 where accountId = ?3 and revokedAt is null",
                        now, reason, accountId))
                .replaceWithVoid();
    }

    /** Puts one access token on the revocation list (RFC 7009). */
    @WithTransaction
    public Uni<Void> revokeAccessToken(String jti, String clientId, Instant expiry) {
        return accessTokens.findById(jti).flatMap(row -> {
            if (row != null) {
                if (row.revokedAt == null) {
                    row.revokedAt = utc(clock.instant());
                }
                return Uni.createFrom().voidItem();
            }
            AccessTokenEntity revoked = new AccessTokenEntity();
            revoked.jti = jti;
            revoked.clientId = clientId;
            revoked.expiresAt = utc(expiry);
            revoked.revokedAt = utc(clock.instant());
            return accessTokens.persist(revoked).replaceWithVoid();
        });
    }

    /** True when the access token with this jti was revoked (alone or with its grant). */
    @WithSession
    public Uni<Boolean> accessTokenRevoked(String jti) {
        if (jti == null) {
            return Uni.createFrom().item(true);
        }
        return accessTokens.findById(jti).map(row -> row != null && row.revokedAt != null);
    }

    @Scheduled(every = "15m", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        OffsetDateTime cutoff = utc(clock.instant()).minusMinutes(5);
        return Panache.withTransaction(() -> accessTokens.delete("expiresAt < ?1", cutoff)
                        .flatMap(ignored -> grants.delete("expiresAt < ?1", cutoff)))
                .onFailure().recoverWithItem(0L)
                .replaceWithVoid();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
