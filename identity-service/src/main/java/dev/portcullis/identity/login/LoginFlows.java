package dev.portcullis.identity.login;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.account.Usernames;
import dev.portcullis.identity.client.OAuthClientRepository;
import dev.portcullis.identity.mfa.Totp;
import dev.portcullis.identity.oidc.Authentication;
import dev.portcullis.identity.oidc.AuthorizationCodes;
import dev.portcullis.identity.oidc.AuthorizationRequest;
import dev.portcullis.identity.oidc.Redirects;
import dev.portcullis.identity.password.PasswordHasher;
import dev.portcullis.identity.secret.DataCipher;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.identity.session.SsoSessions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple2;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * The sign-in flow behind an authorization request: username + password, then TOTP when the account
 * has it, then an authorization code back to the client. Each flow lives in the database (so any
 * replica can continue it) and is bound to the browser that started it by the flow cookie.
 */
@ApplicationScoped
public class LoginFlows {

    public static final String INVALID_CREDENTIALS = "Invalid username or password.";
    public static final String INVALID_CODE = "Invalid code.";
    static final String DEAD_FLOW = "This sign-in has expired or was started in another browser.";
    /** Longer passwords are refused without a hash of their own (but still cost one Argon2id run). */
    static final int MAX_PASSWORD_LENGTH = 1024;

    @Inject
    LoginFlowRepository flows;

    @Inject
    AccountRepository accounts;

    @Inject
    OAuthClientRepository clients;

    @Inject
    AuthorizationCodes codes;

    @Inject
    PasswordHasher hasher;

    @Inject
    DataCipher cipher;

    @Inject
    LoginEvents events;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    @Inject
    ClientSources sources;

    @Inject
    SourceThrottle sourceThrottle;

    @Inject
    SignInGuard guard;

    @Inject
    LoginSecondFactors secondFactors;

    @Inject
    SsoSessions sessions;

    /** Starts a flow for a validated authorization request; returns the flow id (for the cookie and the form). */
    public Uni<String> start(AuthorizationRequest request) {
        return start(request, null);
    }

    /** Starts a flow whose sign-in must reach at least {@code requiredAcr} (null: any level). */
    @WithTransaction
    public Uni<String> start(AuthorizationRequest request, String requiredAcr) {
        String id = Tokens.random256();
        OffsetDateTime now = now();
        LoginFlowEntity flow = new LoginFlowEntity();
        flow.idHash = Tokens.storageKey(id);
        flow.clientId = request.clientId();
        flow.redirectUri = request.redirectUri();
        flow.scope = request.scope();
        flow.state = request.state();
        flow.nonce = request.nonce();
        flow.codeChallenge = request.codeChallenge();
        flow.stage = LoginFlowEntity.STAGE_PASSWORD;
        flow.requiredAcr = requiredAcr;
        flow.createdAt = now;
        flow.expiresAt = now.plus(config.loginFlowLifetime());
        return flows.persist(flow).replaceWith(id);
    }

    /** The username + password step. */
    public Uni<LoginStep> password(String flowId, String cookie, String username, String password) {
        if (!bound(flowId, cookie)) {
            return Uni.createFrom().item(new LoginStep.Dead(DEAD_FLOW));
        }
        String source = sources.current();
        String normalized = Usernames.normalize(username);
        boolean plausible = !normalized.isEmpty() && normalized.length() <= Usernames.MAX_LENGTH && password != null
                && !password.isEmpty() && password.length() <= MAX_PASSWORD_LENGTH;
        return lookUp(Tokens.storageKey(flowId), plausible ? normalized : null).flatMap(found -> {
            if (found == null) {
                return Uni.createFrom().item(new LoginStep.Dead(DEAD_FLOW));
            }
            // Exactly one Argon2id run whether or not the account exists (timing must not tell).
            String hash = found.account() == null ? null : found.account().passwordHash;
            String candidate = plausible ? password : "";
            return hasher.verifyOrDummy(candidate, hash)
                    .flatMap(verified -> recordPassword(flowId, source, found.account() == null ? null : found.account().id,
                            plausible && verified));
        });
    }

    private record Found(LoginFlowEntity flow, AccountEntity account) {
    }

    @WithSession
    Uni<Found> lookUp(String flowKey, String normalizedUsername) {
        return flows.findValid(flowKey, now()).flatMap(flow -> {
            if (flow == null) {
                return Uni.createFrom().nullItem();
            }
            if (normalizedUsername == null) {
                return Uni.createFrom().item(new Found(flow, null));
            }
            return accounts.findByUsername(normalizedUsername).map(account -> new Found(flow, account));
        });
    }

    /** Decides the password attempt under the account's row lock, and records it with its event. */
    @WithTransaction
    Uni<LoginStep> recordPassword(String flowId, String source, UUID accountId, boolean verified) {
        Instant now = clock.instant();
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        return flows.lockValid(Tokens.storageKey(flowId), at).flatMap(flow -> {
            if (flow == null) {
                return Uni.createFrom().item(new LoginStep.Dead(DEAD_FLOW));
            }
            Uni<AccountEntity> locked = accountId == null ? Uni.createFrom().nullItem() : accounts.lock(accountId);
            return locked.flatMap(a -> sourceThrottle.throttled(source, at).map(t -> Tuple2.of(a, t))).flatMap(both -> {
                AccountEntity account = both.getItem1();
                // Every refusal below renders the same page with the same status: a locked account,
                // a throttled source, an unknown user and a wrong password are indistinguishable.
                if (both.getItem2()) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.THROTTLED)
                            .flatMap(ignored -> passwordRejected(flowId, flow));
                }
                if (account == null) {
                    return events.failed(null, flow.clientId, LoginEvents.Reason.UNKNOWN_ACCOUNT)
                            .flatMap(ignored -> sourceThrottle.recordFailure(source, at))
                            .flatMap(ignored -> passwordRejected(flowId, flow));
                }
                if (!account.canSignIn()) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.ACCOUNT_DISABLED)
                            .flatMap(ignored -> sourceThrottle.recordFailure(source, at))
                            .flatMap(ignored -> passwordRejected(flowId, flow));
                }
                if (guard.locked(account, now)) {
                    // Neither judged nor counted: the lock is not extended.
                    return events.failed(account, flow.clientId, LoginEvents.Reason.LOCKED_OUT)
                            .flatMap(ignored -> passwordRejected(flowId, flow));
                }
                if (!verified) {
                    return accountFailure(account, flow, source, at, LoginEvents.Reason.INVALID_PASSWORD)
                            .flatMap(ignored -> passwordRejected(flowId, flow));
                }
                // The failure counter is reset only by a completed login: a known password does not
                // buy fresh TOTP guesses. What comes next (TOTP, forced enrollment, done): LoginSecondFactors.
                return secondFactors.afterPassword(flowId, flow, account, now);
            });
        });
    }

    /** The TOTP step. */
    @WithTransaction
    public Uni<LoginStep> totp(String flowId, String cookie, String code) {
        if (!bound(flowId, cookie)) {
            return Uni.createFrom().item(new LoginStep.Dead(DEAD_FLOW));
        }
        String source = sources.current();
        Instant now = clock.instant();
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        return flows.lockValid(Tokens.storageKey(flowId), at).flatMap(flow -> {
            if (flow == null || !LoginFlowEntity.STAGE_TOTP.equals(flow.stage)) {
                return Uni.createFrom().item(new LoginStep.Dead(DEAD_FLOW));
            }
            return accounts.lock(flow.accountId).flatMap(a -> sourceThrottle.throttled(source, at).map(t -> Tuple2.of(a, t)))
                    .flatMap(both -> {
                AccountEntity account = both.getItem1();
                LoginStep rejected = new LoginStep.TotpPage(flowId, 401, INVALID_CODE);
                if (account == null || !account.canSignIn() || !account.hasTotp()) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.ACCOUNT_DISABLED).replaceWith(rejected);
                }
                if (both.getItem2()) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.THROTTLED).replaceWith(rejected);
                }
                if (guard.locked(account, now)) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.LOCKED_OUT).replaceWith(rejected);
                }
                byte[] key = cipher.decrypt(account.totpSecret, account.totpContext());
                OptionalLong step = Totp.verify(key, code == null ? null : code.strip(), now, account.totpLastStep);
                if (step.isEmpty()) {
                    // A wrong or missing code counts toward the same limit as a wrong password.
                    return accountFailure(account, flow, source, at, LoginEvents.Reason.INVALID_OTP).replaceWith(rejected);
                }
                account.totpLastStep = step.getAsLong();
                return complete(flow, account, Authentication.passwordAndTotp(account.id, now));
            });
        });
    }

    /**
     * Ends the flow: resets the failure counter, issues the code, starts the single sign-on session,
     * emits LoginSucceeded; one transaction.
     */
    Uni<LoginStep> complete(LoginFlowEntity flow, AccountEntity account, Authentication authentication) {
        guard.succeeded(account);
        account.updatedAt = authentication.authTime().atOffset(ZoneOffset.UTC);
        AuthorizationRequest request = flow.request(null);
        return codes.issue(request, authentication)
                .flatMap(code -> flows.end(flow)
                        .flatMap(ignored -> events.succeeded(account, flow.clientId, authentication))
                        .flatMap(ignored -> sessions.create(authentication,
                                flow.passwordAt != null ? flow.passwordAt.toInstant() : authentication.authTime()))
                        .map(session -> {
                            Map<String, String> parameters = new LinkedHashMap<>();
                            parameters.put("code", code);
                            parameters.put("state", flow.state);
                            parameters.put("iss", config.issuer());
                            return (LoginStep) new LoginStep.SignedIn(Redirects.to(flow.redirectUri, parameters), session);
                        }));
    }

    /** Counts a failure against the account (locking it at the limit, with its event) and the source. */
    private Uni<Void> accountFailure(AccountEntity account, LoginFlowEntity flow, String source, OffsetDateTime at,
            LoginEvents.Reason reason) {
        return guard.failed(account, flow.clientId, reason, at.toInstant(), source);
    }

    private Uni<LoginStep> passwordRejected(String flowId, LoginFlowEntity flow) {
        // A failed password also undoes an earlier success in this flow (back button, second try).
        flow.stage = LoginFlowEntity.STAGE_PASSWORD;
        flow.accountId = null;
        flow.passwordAt = null;
        return clients.find(flow.clientId)
                .map(client -> new LoginStep.PasswordPage(flowId, client == null ? flow.clientId : client.name, 401,
                        INVALID_CREDENTIALS));
    }

    /** The form's flow id must be the one this browser's cookie carries. */
    static boolean bound(String flowId, String cookie) {
        return flowId != null && !flowId.isEmpty() && flowId.length() <= 64 && Tokens.equal(flowId, cookie);
    }

    @Scheduled(every = "5m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return Panache.withTransaction(() -> flows.deleteExpired(now())
                .flatMap(ignored -> sourceThrottle.purgeExpired(now())).replaceWith(0L))
                .onFailure().recoverWithItem(0L)
                .replaceWithVoid();
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
