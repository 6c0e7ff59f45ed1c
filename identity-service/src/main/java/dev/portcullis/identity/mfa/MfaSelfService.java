package dev.portcullis.identity.mfa;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.login.LoginEvents;
import dev.portcullis.identity.login.SignInGuard;
import dev.portcullis.identity.oidc.Authentication;
import dev.portcullis.identity.password.PasswordHasher;
import dev.portcullis.identity.secret.DataCipher;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.identity.session.SsoSessionEntity;
import dev.portcullis.identity.session.SsoSessions;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Function;
import java.util.OptionalLong;

/**
 * Self-service MFA for a signed-in person (single sign-on session): enroll or replace the TOTP
 * authenticator and generate recovery codes. Every change needs a FRESH factor: the session's
 * strongest factor (the second factor when the account has one, else the password) proven within
 * {@link IdentityConfig#freshFactorWindow()}; otherwise the person re-authenticates first.
 */
@ApplicationScoped
public class MfaSelfService {

    /** The client id login events name for the account pages. */
    public static final String ACCOUNT_PAGES = "portcullis-account";

    @Inject
    SsoSessions sessions;

    @Inject
    AccountRepository accounts;

    @Inject
    RecoveryCodes recoveryCodes;

    @Inject
    MfaEvents mfaEvents;

    @Inject
    LoginEvents loginEvents;

    @Inject
    PasswordHasher hasher;

    @Inject
    Passkeys passkeys;

    @Inject
    DataCipher cipher;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    @Inject
    SignInGuard guard;

    /** The signed-in person's MFA status. */
    public record Overview(AccountEntity account, boolean totp, long recoveryCodes, boolean fresh, List<String> passkeys) {
    }

    /** Outcomes of a change. */
    public sealed interface Result {
    }

    /** Nobody is signed in with this cookie (or the account was disabled). */
    public record SignedOut() implements Result {
    }

    /** The factor is not fresh: re-authenticate first. */
    public record NotFresh() implements Result {
    }

    /** The change cannot be made in this state (message for the person). */
    public record Refused(String message) implements Result {
    }

    /** A new TOTP seed awaits its first code. */
    public record TotpPending(String secret, String uri, String error) implements Result {
    }

    public record Done(String message) implements Result {
    }

    public record RecoveryCodesShown(List<String> codes) implements Result {
    }

    /** WebAuthn creation options for the page's script. */
    public record PasskeyOptions(java.util.Map<String, Object> options) implements Result {
    }

    @WithSession
    public Uni<Overview> overview(String cookie) {
        return sessions.find(cookie).flatMap(session -> session == null ? Uni.createFrom().nullItem()
                : accounts.findActive(session.accountId).flatMap(account -> account == null ? Uni.createFrom().nullItem()
                        : recoveryCodes.remaining(account.id).flatMap(remaining -> passkeys.of(account.id)
                                .map(list -> new Overview(account, account.hasTotp(), remaining, fresh(session, account),
                                        list.stream().map(c -> c.credentialId).toList())))));
    }

    /** Whether the session proved the account's strongest factor within the fresh-factor window. */
    public boolean fresh(SsoSessionEntity session, AccountEntity account) {
        OffsetDateTime proven = account.hasTotp() ? session.secondFactorAt : session.passwordAt;
        return proven != null && !clock.instant().isAfter(proven.toInstant().plus(config.freshFactorWindow()));
    }

    private record Locked(SsoSessionEntity session, AccountEntity account) {
    }

    /**
     * Runs a change of second factors for the signed-in account when its factor is fresh and it has TOTP
     * (the base every other factor is added to); otherwise answers why not.
     */
    private Uni<Result> withFreshFactorAndTotp(String cookie, Function<Locked, Uni<Result>> change) {
        return lock(cookie).flatMap(locked -> {
            if (locked == null) {
                return Uni.createFrom().item(new SignedOut());
            }
            if (!fresh(locked.session(), locked.account())) {
                return Uni.createFrom().item(new NotFresh());
            }
            if (!locked.account().hasTotp()) {
                return Uni.createFrom().item(new Refused("Set up an authenticator app first."));
            }
            return change.apply(locked);
        });
    }

    private Uni<Locked> lock(String cookie) {
        return sessions.lock(cookie).flatMap(session -> session == null ? Uni.createFrom().nullItem()
                : accounts.lock(session.accountId).map(account -> account == null || account.disabled ? null
                        : new Locked(session, account)));
    }

    /** Starts (or restarts) TOTP enrollment: a new seed, kept sealed in the session until confirmed. */
    @WithTransaction
    public Uni<Result> startTotp(String cookie) {
        return lock(cookie).map(locked -> {
            if (locked == null) {
                return new SignedOut();
            }
            if (!fresh(locked.session(), locked.account())) {
                return new NotFresh();
            }
            byte[] seed = TotpEnrollment.newSeed();
            locked.session().pendingTotpSecret = cipher.encrypt(seed, locked.account().totpContext());
            return pending(locked.account(), seed, null);
        });
    }

    private Result pending(AccountEntity account, byte[] seed, String error) {
        return new TotpPending(TotpEnrollment.display(seed), TotpEnrollment.uri(config.issuer(), account.username, seed), error);
    }

    /** Confirms the pending seed with its first code: it replaces the account's TOTP. */
    @WithTransaction
    public Uni<Result> confirmTotp(String cookie, String code) {
        Instant now = clock.instant();
        return lock(cookie).flatMap(locked -> {
            if (locked == null) {
                return Uni.createFrom().item(new SignedOut());
            }
            if (!fresh(locked.session(), locked.account())) {
                return Uni.createFrom().item(new NotFresh());
            }
            SsoSessionEntity session = locked.session();
            AccountEntity account = locked.account();
            if (session.pendingTotpSecret == null) {
                return Uni.createFrom().item(new Refused("Start the authenticator setup again."));
            }
            byte[] seed = cipher.decrypt(session.pendingTotpSecret, account.totpContext());
            if (guard.locked(account, now)) {
                return Uni.createFrom().item(pending(account, seed, "Invalid code."));
            }
            OptionalLong step = Totp.verify(seed, code == null ? null : code.strip(), now, null);
            if (step.isEmpty()) {
                return guard.failed(account, ACCOUNT_PAGES, LoginEvents.Reason.INVALID_OTP, now).replaceWith(pending(account, seed, "Invalid code."));
            }
            account.totpSecret = session.pendingTotpSecret;
            account.totpLastStep = step.getAsLong();
            account.updatedAt = now.atOffset(ZoneOffset.UTC);
            session.pendingTotpSecret = null;
            // The code just proved the new factor (the password keeps its own, older time).
            OffsetDateTime passwordAt = session.passwordAt;
            sessions.reauthenticated(session, Authentication.passwordAndTotp(account.id, now));
            session.passwordAt = passwordAt;
            return mfaEvents.changed(account, MfaEvents.TOTP_ENROLLED, MfaEvents.VIA_SELF_SERVICE)
                    .replaceWith(new Done("Your authenticator app is set up."));
        });
    }

    /** Replaces the account's recovery codes; they are returned once, for display. */
    @WithTransaction
    public Uni<Result> regenerateRecoveryCodes(String cookie) {
        return withFreshFactorAndTotp(cookie, locked -> recoveryCodes.regenerate(locked.account().id)
                .flatMap(codes -> mfaEvents.changed(locked.account(), MfaEvents.RECOVERY_CODES_GENERATED,
                        MfaEvents.VIA_SELF_SERVICE).replaceWith(new RecoveryCodesShown(codes))));
    }

    /** Re-authentication outcome: null = signed out; false = rejected; true = the factors are fresh now. */
    public Uni<Boolean> reauthenticate(String cookie, String password, String code) {
        return sessions.find(cookie).flatMap(session -> session == null ? Uni.createFrom().nullItem()
                : accounts.findActive(session.accountId).flatMap(account -> {
                    if (account == null) {
                        return Uni.createFrom().nullItem();
                    }
                    boolean plausible = password != null && !password.isEmpty() && password.length() <= 1024;
                    return hasher.verifyOrDummy(plausible ? password : "", account.passwordHash)
                            .flatMap(verified -> recordReauthentication(cookie, plausible && verified, code));
                }));
    }

    @WithTransaction
    Uni<Boolean> recordReauthentication(String cookie, boolean passwordVerified, String code) {
        Instant now = clock.instant();
        return lock(cookie).flatMap(locked -> {
            if (locked == null) {
                return Uni.createFrom().nullItem();
            }
            AccountEntity account = locked.account();
            if (guard.locked(account, now)) {
                return loginEvents.failed(account, ACCOUNT_PAGES, LoginEvents.Reason.LOCKED_OUT).replaceWith(false);
            }
            if (!passwordVerified) {
                return guard.failed(account, ACCOUNT_PAGES, LoginEvents.Reason.INVALID_PASSWORD, now).replaceWith(false);
            }
            if (!account.hasTotp()) {
                return succeed(locked, Authentication.passwordOnly(account.id, now));
            }
            if (RecoveryCodes.looksLikeRecoveryCode(code)) {
                return recoveryCodes.consume(account.id, code).flatMap(accepted -> accepted
                        ? succeed(locked, Authentication.passwordAndRecoveryCode(account.id, now))
                        : failedCode(account, now));
            }
            byte[] key = cipher.decrypt(account.totpSecret, account.totpContext());
            OptionalLong step = Totp.verify(key, code == null ? null : code.strip(), now, account.totpLastStep);
            if (step.isEmpty()) {
                return failedCode(account, now);
            }
            account.totpLastStep = step.getAsLong();
            return succeed(locked, Authentication.passwordAndTotp(account.id, now));
        });
    }

    private Uni<Boolean> failedCode(AccountEntity account, Instant now) {
        return guard.failed(account, ACCOUNT_PAGES, LoginEvents.Reason.INVALID_OTP, now).replaceWith(false);
    }

    private Uni<Boolean> succeed(Locked locked, Authentication authentication) {
        guard.succeeded(locked.account());
        sessions.reauthenticated(locked.session(), authentication);
        return Uni.createFrom().item(true);
    }

    /** Whether the account behind this session has TOTP (the re-authentication page asks for a code then). */
    @WithSession
    public Uni<Boolean> needsCode(String cookie) {
        return sessions.find(cookie).flatMap(session -> session == null ? Uni.createFrom().item(false)
                : accounts.findById(session.accountId).map(account -> account != null && account.hasTotp()));
    }

    /**
     * Creation options for a new passkey, with a challenge bound to this session (replacing any earlier
     * one). Passkeys are added on top of TOTP, which stays the fallback with the recovery codes.
     */
    @WithTransaction
    public Uni<Result> passkeyOptions(String cookie) {
        return withFreshFactorAndTotp(cookie, locked -> passkeys.of(locked.account().id).map(existing -> {
            locked.session().webauthnChallenge = Tokens.random256();
            return new PasskeyOptions(passkeys.creationOptions(locked.account(), locked.session().webauthnChallenge, existing));
        }));
    }

    /** Verifies and stores a new passkey. The session's challenge is spent whatever the outcome. */
    @WithTransaction
    public Uni<Result> registerPasskey(String cookie, String clientData, String attestationObject) {
        return lock(cookie).flatMap(locked -> {
            if (locked == null) {
                return Uni.createFrom().item(new SignedOut());
            }
            String challenge = locked.session().webauthnChallenge;
            locked.session().webauthnChallenge = null;
            if (!fresh(locked.session(), locked.account())) {
                return Uni.createFrom().item(new NotFresh());
            }
            if (challenge == null || !locked.account().hasTotp()) {
                return Uni.createFrom().item(new Refused("Start adding the passkey again."));
            }
            WebAuthnCredentialEntity credential = passkeys.verifyRegistration(locked.account().id, challenge,
                    clientData == null ? "" : clientData, attestationObject == null ? "" : attestationObject);
            if (credential == null) {
                return Uni.createFrom().item(new Refused("The passkey could not be verified."));
            }
            return io.quarkus.hibernate.reactive.panache.Panache.getSession()
                    .flatMap(session -> session.find(WebAuthnCredentialEntity.class, credential.credentialId)
                            .flatMap(existing -> existing != null ? Uni.createFrom().item((Result) new Refused("This passkey is already registered."))
                                    : session.persist(credential)
                                            .flatMap(ignored -> mfaEvents.changed(locked.account(), MfaEvents.PASSKEY_REGISTERED,
                                                    MfaEvents.VIA_SELF_SERVICE))
                                            .replaceWith((Result) new Done("passkey"))));
        });
    }

    /** Removes one of the account's passkeys. */
    @WithTransaction
    public Uni<Result> removePasskey(String cookie, String credentialId) {
        return lock(cookie).flatMap(locked -> {
            if (locked == null) {
                return Uni.createFrom().item(new SignedOut());
            }
            if (!fresh(locked.session(), locked.account())) {
                return Uni.createFrom().item(new NotFresh());
            }
            return io.quarkus.hibernate.reactive.panache.Panache.getSession().flatMap(session -> session
                    .createMutationQuery("delete from WebAuthnCredentialEntity where credentialId = :id and accountId = :account")
                    .setParameter("id", credentialId == null ? "" : credentialId)
                    .setParameter("account", locked.account().id)
                    .executeUpdate())
                    .flatMap(deleted -> deleted == 0 ? Uni.createFrom().item((Result) new Refused("No such passkey."))
                            : mfaEvents.changed(locked.account(), MfaEvents.PASSKEY_REMOVED, MfaEvents.VIA_SELF_SERVICE)
                                    .replaceWith((Result) new Done("passkey-removed")));
        });
    }
}
