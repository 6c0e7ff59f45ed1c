package dev.portcullis.identity.login;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.mfa.MfaEvents;
import dev.portcullis.identity.mfa.MfaPolicy;
import dev.portcullis.identity.mfa.Passkeys;
import dev.portcullis.identity.mfa.WebAuthnCredentialEntity;
import dev.portcullis.identity.mfa.RecoveryCodes;
import dev.portcullis.identity.mfa.Totp;
import dev.portcullis.identity.mfa.TotpEnrollment;
import dev.portcullis.identity.oidc.AcrLevels;
import dev.portcullis.identity.oidc.Authentication;
import dev.portcullis.identity.oidc.AuthorizationRequest;
import dev.portcullis.identity.secret.DataCipher;
import dev.portcullis.identity.secret.Tokens;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.OptionalLong;

/**
 * The stages after the password: which second factor a sign-in needs (TOTP when the account has it;
 * forced TOTP enrollment when the organization or the client's {@code acr_values} require a second
 * factor the account lacks), recovery codes instead of TOTP, and step-up flows that start at the
 * second factor for a browser whose session already proved the password recently.
 */
@ApplicationScoped
public class LoginSecondFactors {

    static final String PASSKEY_FAILED = "The passkey could not be verified.";

    @Inject
    Passkeys passkeys;

    @Inject
    LoginFlows loginFlows;

    @Inject
    LoginFlowRepository flows;

    @Inject
    AccountRepository accounts;

    @Inject
    MfaPolicy policy;

    @Inject
    RecoveryCodes recoveryCodes;

    @Inject
    MfaEvents mfaEvents;

    @Inject
    LoginEvents events;

    @Inject
    DataCipher cipher;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    @Inject
    SignInGuard guard;

    /** After a verified password (flow and account locked by the caller's transaction): the next step. */
    Uni<LoginStep> afterPassword(String flowId, LoginFlowEntity flow, AccountEntity account, Instant now) {
        return policy.requiredAcr(account, flow.requiredAcr).flatMap(required -> {
            flow.accountId = account.id;
            flow.passwordAt = now.atOffset(ZoneOffset.UTC);
            if (account.hasTotp()) {
                flow.stage = LoginFlowEntity.STAGE_TOTP;
                return secondFactorPage(flowId, account, 200, null);
            }
            if (AcrLevels.rank(required) > AcrLevels.rank(Authentication.AAL1)) {
                return Uni.createFrom().item(enroll(flowId, flow, account));
            }
            return loginFlows.complete(flow, account, Authentication.passwordOnly(account.id, now));
        });
    }

    private LoginStep enroll(String flowId, LoginFlowEntity flow, AccountEntity account) {
        byte[] seed = TotpEnrollment.newSeed();
        flow.stage = LoginFlowEntity.STAGE_ENROLL_TOTP;
        flow.pendingTotpSecret = cipher.encrypt(seed, account.totpContext());
        return enrollPage(flowId, account, seed, 200, null);
    }

    private LoginStep enrollPage(String flowId, AccountEntity account, byte[] seed, int status, String error) {
        return new LoginStep.EnrollTotpPage(flowId, TotpEnrollment.display(seed),
                TotpEnrollment.uri(config.issuer(), account.username, seed), status, error);
    }

    /**
     * Starts a flow for an account whose session proved the password at {@code passwordAt} and now
     * needs a second factor (step-up): the TOTP page, or forced enrollment when it has none.
     *
     * @return the flow id and the first page
     */
    @WithTransaction
    public Uni<Started> startSecondFactor(AuthorizationRequest request, String requiredAcr, AccountEntity account,
            OffsetDateTime passwordAt) {
        return loginFlows.start(request, requiredAcr)
                .flatMap(flowId -> flows.lockValid(Tokens.storageKey(flowId), clock.instant().atOffset(ZoneOffset.UTC))
                        .flatMap(flow -> {
                            flow.accountId = account.id;
                            flow.passwordAt = passwordAt;
                            if (account.hasTotp()) {
                                flow.stage = LoginFlowEntity.STAGE_TOTP;
                                return secondFactorPage(flowId, account, 200, null).map(page -> new Started(flowId, page));
                            }
                            return Uni.createFrom().item(new Started(flowId, enroll(flowId, flow, account)));
                        }));
    }

    public record Started(String flowId, LoginStep step) {
    }

    /** A recovery code instead of the TOTP code. Failures count toward the same throttle. */
    @WithTransaction
    public Uni<LoginStep> recovery(String flowId, String cookie, String code) {
        if (!LoginFlows.bound(flowId, cookie)) {
            return Uni.createFrom().item(new LoginStep.Dead(LoginFlows.DEAD_FLOW));
        }
        Instant now = clock.instant();
        return flows.lockValid(Tokens.storageKey(flowId), now.atOffset(ZoneOffset.UTC)).flatMap(flow -> {
            if (flow == null || !LoginFlowEntity.STAGE_TOTP.equals(flow.stage)) {
                return Uni.createFrom().item(new LoginStep.Dead(LoginFlows.DEAD_FLOW));
            }
            return accounts.lock(flow.accountId).flatMap(account -> {
                LoginStep rejected = new LoginStep.SecondFactorPage(flowId, false, 401, LoginFlows.INVALID_CODE);
                if (account == null || account.disabled) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.ACCOUNT_DISABLED).replaceWith(rejected);
                }
                if (guard.locked(account, now)) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.LOCKED_OUT).replaceWith(rejected);
                }
                return recoveryCodes.consume(account.id, code).flatMap(accepted -> {
                    if (!accepted) {
                        return guard.failed(account, flow.clientId, LoginEvents.Reason.INVALID_OTP, now).replaceWith(rejected);
                    }
                    return loginFlows.complete(flow, account, Authentication.passwordAndRecoveryCode(account.id, now));
                });
            });
        });
    }

    /** The first code of a TOTP seed enrolled during sign-in: confirms the seed and completes the sign-in. */
    @WithTransaction
    public Uni<LoginStep> confirmEnrollment(String flowId, String cookie, String code) {
        if (!LoginFlows.bound(flowId, cookie)) {
            return Uni.createFrom().item(new LoginStep.Dead(LoginFlows.DEAD_FLOW));
        }
        Instant now = clock.instant();
        return flows.lockValid(Tokens.storageKey(flowId), now.atOffset(ZoneOffset.UTC)).flatMap(flow -> {
            if (flow == null || !LoginFlowEntity.STAGE_ENROLL_TOTP.equals(flow.stage) || flow.pendingTotpSecret == null) {
                return Uni.createFrom().item(new LoginStep.Dead(LoginFlows.DEAD_FLOW));
            }
            return accounts.lock(flow.accountId).flatMap(account -> {
                if (account == null || account.disabled || account.hasTotp()) {
                    return Uni.createFrom().item(new LoginStep.Dead(LoginFlows.DEAD_FLOW));
                }
                byte[] seed = cipher.decrypt(flow.pendingTotpSecret, account.totpContext());
                LoginStep rejected = enrollPage(flowId, account, seed, 401, LoginFlows.INVALID_CODE);
                if (guard.locked(account, now)) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.LOCKED_OUT).replaceWith(rejected);
                }
                OptionalLong step = Totp.verify(seed, code == null ? null : code.strip(), now, null);
                if (step.isEmpty()) {
                    return guard.failed(account, flow.clientId, LoginEvents.Reason.INVALID_OTP, now).replaceWith(rejected);
                }
                account.totpSecret = flow.pendingTotpSecret;
                account.totpLastStep = step.getAsLong();
                flow.pendingTotpSecret = null;
                return mfaEvents.changed(account, MfaEvents.TOTP_ENROLLED, MfaEvents.VIA_LOGIN)
                        .flatMap(ignored -> loginFlows.complete(flow, account, Authentication.passwordAndTotp(account.id, now)));
            });
        });
    }

    private Uni<LoginStep> secondFactorPage(String flowId, AccountEntity account, int status, String error) {
        return passkeys.of(account.id).map(list -> new LoginStep.SecondFactorPage(flowId, !list.isEmpty(), status, error));
    }

    /**
     * WebAuthn request options for the flow's account, with a new challenge bound to the flow (the
     * previous one, if any, is replaced). Null when the flow is not at its second step or the account
     * has no passkey.
     */
    @WithTransaction
    public Uni<java.util.Map<String, Object>> passkeyOptions(String flowId, String cookie) {
        if (!LoginFlows.bound(flowId, cookie)) {
            return Uni.createFrom().nullItem();
        }
        return flows.lockValid(Tokens.storageKey(flowId), clock.instant().atOffset(ZoneOffset.UTC)).flatMap(flow -> {
            if (flow == null || !LoginFlowEntity.STAGE_TOTP.equals(flow.stage)) {
                return Uni.createFrom().nullItem();
            }
            return passkeys.of(flow.accountId).map(list -> {
                if (list.isEmpty()) {
                    return null;
                }
                flow.webauthnChallenge = Tokens.random256();
                return passkeys.requestOptions(flow.webauthnChallenge, list);
            });
        });
    }

    /** A passkey assertion as the second factor. The flow's challenge is spent whatever the outcome. */
    @WithTransaction
    public Uni<LoginStep> passkey(String flowId, String cookie, String credentialId, String clientData, String authenticatorData,
            String signature, String userHandle) {
        if (!LoginFlows.bound(flowId, cookie)) {
            return Uni.createFrom().item(new LoginStep.Dead(LoginFlows.DEAD_FLOW));
        }
        Instant now = clock.instant();
        return flows.lockValid(Tokens.storageKey(flowId), now.atOffset(ZoneOffset.UTC)).flatMap(flow -> {
            if (flow == null || !LoginFlowEntity.STAGE_TOTP.equals(flow.stage)) {
                return Uni.createFrom().item(new LoginStep.Dead(LoginFlows.DEAD_FLOW));
            }
            String challenge = flow.webauthnChallenge;
            flow.webauthnChallenge = null;
            LoginStep rejected = new LoginStep.SecondFactorPage(flowId, true, 401, PASSKEY_FAILED);
            return accounts.lock(flow.accountId).flatMap(account -> {
                if (account == null || account.disabled) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.ACCOUNT_DISABLED).replaceWith(rejected);
                }
                if (guard.locked(account, now)) {
                    return events.failed(account, flow.clientId, LoginEvents.Reason.LOCKED_OUT).replaceWith(rejected);
                }
                return passkeys.of(account.id).flatMap(list -> {
                    WebAuthnCredentialEntity credential = list.stream()
                            .filter(c -> credentialId != null && c.credentialId.equals(credentialId)).findFirst().orElse(null);
                    boolean verified = challenge != null && credential != null && passkeys.verifyAuthentication(credential, challenge,
                            credentialId, clientData, authenticatorData, signature, userHandle);
                    if (!verified) {
                        return guard.failed(account, flow.clientId, LoginEvents.Reason.INVALID_PASSKEY, now).replaceWith(rejected);
                    }
                    return loginFlows.complete(flow, account, Authentication.passwordAndPasskey(account.id, now));
                });
            });
        });
    }
}
