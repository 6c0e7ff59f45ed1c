package dev.portcullis.identity.session;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.login.LoginFlows;
import dev.portcullis.identity.login.LoginPages;
import dev.portcullis.identity.login.LoginSecondFactors;
import dev.portcullis.identity.mfa.MfaPolicy;
import dev.portcullis.identity.oidc.AcrLevels;
import dev.portcullis.identity.oidc.AuthorizationCodes;
import dev.portcullis.identity.oidc.AuthorizationRequest;
import dev.portcullis.identity.oidc.Redirects;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Answers a validated authorization request with the browser's single sign-on session:
 * <ul>
 * <li>a valid session that is recent enough ({@code max_age}), strong enough ({@code acr_values}, the
 * organization's MFA requirement) and not overridden by {@code prompt=login} gets a code at once;</li>
 * <li>a session that is only too weak, and whose password is at most
 * {@link IdentityConfig#stepUpPasswordWindow()} old, steps up: only the second factor is asked (or
 * enrolled); the tokens then carry the higher acr and the step-up's time as auth_time;</li>
 * <li>everything else (no session, prompt=login, max_age exceeded, an older password) is a full sign-in;</li>
 * <li>{@code prompt=none} never shows a page: {@code login_required} when a sign-in is needed,
 * {@code interaction_required} when only a second factor is missing.</li>
 * </ul>
 */
@ApplicationScoped
public class SingleSignOn {

    @Inject
    SsoSessions sessions;

    @Inject
    AccountRepository accounts;

    @Inject
    MfaPolicy policy;

    @Inject
    AuthorizationCodes codes;

    @Inject
    LoginFlows flows;

    @Inject
    LoginSecondFactors secondFactors;

    @Inject
    LoginPages pages;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    public Uni<Response> authorize(AuthorizationRequest request, Map<String, List<String>> params, String sessionCookie) {
        AuthenticationRequirements requirements;
        try {
            requirements = AuthenticationRequirements.parse(params);
        } catch (AuthenticationRequirements.Invalid e) {
            return Uni.createFrom().item(error(request, "invalid_request", e.getMessage()));
        }
        return decide(request, requirements, sessionCookie);
    }

    private enum Outcome { ISSUE, STEP_UP, LOGIN }

    private record Decision(Outcome outcome, SsoSessionEntity session, AccountEntity account, String requiredAcr) {
    }

    @WithTransaction
    Uni<Response> decide(AuthorizationRequest request, AuthenticationRequirements requirements, String sessionCookie) {
        Instant now = clock.instant();
        return sessions.find(sessionCookie)
                .flatMap(session -> session == null ? Uni.createFrom().item(new Decision(Outcome.LOGIN, null, null,
                        requirements.requiredAcr()))
                        : accounts.findActive(session.accountId).flatMap(account -> account == null
                                ? Uni.createFrom().item(new Decision(Outcome.LOGIN, null, null, requirements.requiredAcr()))
                                : policy.requiredAcr(account, requirements.requiredAcr())
                                        .map(required -> judge(requirements, session, account, required, now))))
                .flatMap(decision -> switch (decision.outcome()) {
                    case ISSUE -> codes.issue(request, SsoSessions.authentication(decision.session()))
                            .map(code -> redirect(request, Map.of("code", code)));
                    case STEP_UP -> requirements.none()
                            ? Uni.createFrom().item(error(request, "interaction_required", "a second factor is required"))
                            : secondFactors.startSecondFactor(request, decision.requiredAcr(), decision.account(),
                                    decision.session().passwordAt)
                                    .map(started -> pages.start(started.flowId(), started.step()));
                    case LOGIN -> requirements.none()
                            ? Uni.createFrom().item(error(request, "login_required", "interactive login is required"))
                            : flows.start(request, requirements.requiredAcr())
                                    .map(flow -> pages.start(flow, request.clientName()));
                });
    }

    private Decision judge(AuthenticationRequirements requirements, SsoSessionEntity session, AccountEntity account,
            String required, Instant now) {
        boolean recent = requirements.maxAge() == null
                || !now.isAfter(session.authTime.toInstant().plusSeconds(requirements.maxAge()));
        if (requirements.login() || !recent) {
            return new Decision(Outcome.LOGIN, session, account, required);
        }
        if (AcrLevels.satisfies(session.acr, required)) {
            return new Decision(Outcome.ISSUE, session, account, required);
        }
        Duration passwordAge = Duration.between(session.passwordAt.toInstant(), now);
        if (passwordAge.compareTo(config.stepUpPasswordWindow()) <= 0) {
            return new Decision(Outcome.STEP_UP, session, account, required);
        }
        return new Decision(Outcome.LOGIN, session, account, required);
    }

    private Response redirect(AuthorizationRequest request, Map<String, String> result) {
        Map<String, String> parameters = new LinkedHashMap<>(result);
        parameters.put("state", request.state());
        parameters.put("iss", config.issuer());
        return Response.status(Response.Status.FOUND)
                .header("Location", Redirects.to(request.redirectUri(), parameters))
                .header("Cache-Control", "no-store")
                .build();
    }

    private Response error(AuthorizationRequest request, String error, String description) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("error", error);
        parameters.put("error_description", description);
        return redirect(request, parameters);
    }
}
