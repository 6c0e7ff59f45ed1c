package dev.portcullis.identity.login;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.AccountEvents;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The one place every factor check (password, TOTP, recovery code, passkey, TOTP enrollment, the
 * account page's re-authentication) reports to, so all of them count toward the same per-account
 * limit and the same per-source window, and a lockout is announced once whichever factor reached it.
 * Call inside the transaction that holds the account's row lock.
 */
@ApplicationScoped
public class SignInGuard {

    @Inject
    SourceThrottle sourceThrottle;

    @Inject
    ClientSources sources;

    @Inject
    LoginEvents events;

    @Inject
    AccountEvents accountEvents;

    @Inject
    IdentityConfig config;

    private LoginThrottle throttle;

    @PostConstruct
    void init() {
        throttle = LoginThrottle.of(config.throttle());
    }

    /** A locked account's attempts are answered like a wrong factor without being judged or counted. */
    public boolean locked(AccountEntity account, Instant now) {
        return throttle.locked(account, now);
    }

    /** A failed factor from the current request's source. */
    public Uni<Void> failed(AccountEntity account, String clientId, LoginEvents.Reason reason, Instant now) {
        return failed(account, clientId, reason, now, sources.current());
    }

    /** Counts the failure against the account (locking it at the limit, with its event) and the source; emits LoginFailed. */
    public Uni<Void> failed(AccountEntity account, String clientId, LoginEvents.Reason reason, Instant now, String source) {
        boolean lockedNow = throttle.recordFailure(account, now);
        Uni<Void> failed = events.failed(account, clientId, reason)
                .flatMap(ignored -> sourceThrottle.recordFailure(source, now.atOffset(ZoneOffset.UTC)));
        return lockedNow ? failed.flatMap(ignored -> accountEvents.lockedOut(account)) : failed;
    }

    /** A completed sign-in or re-authentication: the consecutive-failure count starts again. */
    public void succeeded(AccountEntity account) {
        throttle.reset(account);
    }
}
