package dev.portcullis.identity.session;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.oidc.Authentication;
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

/**
 * Single sign-on sessions: created when a sign-in completes, looked up by the browser's cookie on
 * later authorization requests and account pages, ended by logout or when an account is disabled.
 * The cookie value is 256 random bits; the database keeps only its SHA-256.
 */
@ApplicationScoped
public class SsoSessions {

    public static final String COOKIE = "portcullis_session";

    @Inject
    SsoSessionRepository sessions;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    /**
     * Starts a session for a completed authentication, inside the caller's transaction.
     *
     * @param passwordAt when the password was verified (may be earlier than the authentication, after a step-up)
     * @return the cookie value
     */
    @WithSession
    public Uni<String> create(Authentication authentication, Instant passwordAt) {
        String value = Tokens.random256();
        SsoSessionEntity session = new SsoSessionEntity();
        session.idHash = Tokens.storageKey(value);
        session.accountId = authentication.accountId();
        fill(session, authentication);
        session.passwordAt = utc(passwordAt);
        OffsetDateTime now = utc(clock.instant());
        session.createdAt = now;
        session.expiresAt = now.plus(config.ssoSessionLifetime());
        return sessions.persist(session).replaceWith(value);
    }

    /** Records a new authentication (re-authentication on the account page) on an existing session. */
    public void reauthenticated(SsoSessionEntity session, Authentication authentication) {
        fill(session, authentication);
        session.passwordAt = session.authTime;
        session.expiresAt = utc(clock.instant()).plus(config.ssoSessionLifetime());
    }

    private static void fill(SsoSessionEntity session, Authentication authentication) {
        session.authTime = utc(authentication.authTime());
        session.amr = authentication.amr().toArray(String[]::new);
        session.acr = authentication.acr();
        if (authentication.amr().contains("mfa")) {
            session.secondFactorAt = session.authTime;
        }
    }

    /** The session behind a cookie value if it is valid, else null. */
    @WithSession
    public Uni<SsoSessionEntity> find(String cookie) {
        if (!plausible(cookie)) {
            return Uni.createFrom().nullItem();
        }
        return sessions.findValid(Tokens.storageKey(cookie), utc(clock.instant()));
    }

    /** Like {@link #find}, locked until the transaction ends. */
    @WithSession
    public Uni<SsoSessionEntity> lock(String cookie) {
        if (!plausible(cookie)) {
            return Uni.createFrom().nullItem();
        }
        return sessions.lockValid(Tokens.storageKey(cookie), utc(clock.instant()));
    }

    /** What the session says about the person's authentication, as tokens report it. */
    public static Authentication authentication(SsoSessionEntity session) {
        return new Authentication(session.accountId, session.authTime.toInstant(), Arrays.asList(session.amr), session.acr);
    }

    /** Ends the session a cookie value names (logout). True when there was one. */
    @WithTransaction
    public Uni<Boolean> end(String cookie) {
        if (!plausible(cookie)) {
            return Uni.createFrom().item(false);
        }
        return sessions.deleteById(Tokens.storageKey(cookie));
    }

    /** Ends every session of an account (logout everywhere, account disabled). Returns how many ended. */
    @WithTransaction
    public Uni<Long> endAll(UUID accountId) {
        return sessions.deleteForAccount(accountId);
    }

    /**
     * The anti-CSRF token for forms of the session with this cookie value: derived from the secret
     * cookie (a different digest from the stored one), so only the browser holding the cookie knows it.
     */
    public static String csrfToken(String cookie) {
        return Tokens.storageKey("csrf:" + cookie);
    }

    public static boolean plausible(String cookie) {
        return cookie != null && cookie.length() == 43;
    }

    @Scheduled(every = "5m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return Panache.withTransaction(() -> sessions.deleteExpired(utc(clock.instant())))
                .onFailure().recoverWithItem(0L)
                .replaceWithVoid();
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
