package dev.portcullis.identity.oidc;

import dev.portcullis.identity.IdentityConfig;
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

/** Issues and redeems authorization codes: 256 random bits, stored hashed, short-lived, single use. */
@ApplicationScoped
public class AuthorizationCodes {

    @Inject
    AuthorizationCodeRepository codes;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    /** Issues a code for a completed login; call inside the transaction that completes it. Returns the code. */
    @WithSession
    public Uni<String> issue(AuthorizationRequest request, Authentication authentication) {
        String code = Tokens.random256();
        Instant now = clock.instant();
        AuthorizationCodeEntity row = new AuthorizationCodeEntity();
        row.codeHash = Tokens.storageKey(code);
        row.clientId = request.clientId();
        row.redirectUri = request.redirectUri();
        row.scope = request.scope();
        row.nonce = request.nonce();
        row.codeChallenge = request.codeChallenge();
        row.accountId = authentication.accountId();
        row.authTime = utc(authentication.authTime());
        row.amr = authentication.amr().toArray(String[]::new);
        row.acr = authentication.acr();
        row.createdAt = utc(now);
        row.expiresAt = utc(now.plus(config.authorizationCodeLifetime()));
        return codes.persist(row).replaceWith(code);
    }

    /**
     * Marks the code used and returns what it was issued for, or null when it is unknown or was
     * already used. The use is committed before the caller checks client, redirect URI, expiry and
     * PKCE: a code that fails any check is spent, so it cannot be probed twice.
     */
    @WithTransaction
    public Uni<AuthorizationCodeEntity> redeem(String code) {
        return codes.lock(Tokens.storageKey(code)).map(row -> {
            if (row == null || row.usedAt != null) {
                return null;
            }
            row.usedAt = utc(clock.instant());
            return row;
        });
    }

    @Scheduled(every = "5m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return Panache.withTransaction(() -> codes.deleteExpired(utc(clock.instant()).minusMinutes(5)))
                .onFailure().recoverWithItem(0L)
                .replaceWithVoid();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
