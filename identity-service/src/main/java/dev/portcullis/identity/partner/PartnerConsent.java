package dev.portcullis.identity.partner;

import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.account.AccountRepository;
import dev.portcullis.identity.account.OrganizationRepository;
import dev.portcullis.identity.client.OAuthClientRepository;
import dev.portcullis.identity.mfa.MfaSelfService;
import dev.portcullis.identity.oidc.AcrLevels;
import dev.portcullis.identity.oidc.Authentication;
import dev.portcullis.identity.session.SsoSessionEntity;
import dev.portcullis.identity.session.SsoSessions;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;

/**
 * An organization's consent to a partner platform: an operator of the organization, signed in here
 * with a second factor proven within the fresh-factor window, sees which partner asks for which scopes
 * and allows or denies. Allowing records the organization's partner grant (client credentials then
 * carry the organization in {@code orgs}); nothing else can be granted from this page.
 */
@ApplicationScoped
public class PartnerConsent {

    @Inject
    SsoSessions sessions;

    @Inject
    AccountRepository accounts;

    @Inject
    OrganizationRepository organizations;

    @Inject
    OAuthClientRepository clients;

    @Inject
    PartnerClients partners;

    @Inject
    MfaSelfService selfService;

    /** What the operator is asked. */
    public record Request(String partnerName, String clientId, List<String> scopes, String organizationName) {
    }

    /** Outcomes: asked (show the page), granted, or why not. */
    public sealed interface Outcome {
    }

    public record Ask(Request request) implements Outcome {
    }

    public record Granted(Request request) implements Outcome {
    }

    /** No valid session: sign in first. */
    public record SignedOut() implements Outcome {
    }

    /** The session's factor is not fresh (or not a second factor): confirm it is you first. */
    public record NotFresh() implements Outcome {
    }

    /** Not allowed, or nothing to consent to; the message is safe to show. */
    public record Refused(int status, String message) implements Outcome {
    }

    @WithSession
    public Uni<Outcome> ask(String cookie, String clientId, String scope) {
        return check(cookie, clientId, scope).map(checked -> checked.outcome() != null ? checked.outcome() : new Ask(checked.request()));
    }

    public Uni<Outcome> allow(String cookie, String clientId, String scope) {
        return checkInSession(cookie, clientId, scope).flatMap(checked -> {
            if (checked.outcome() != null) {
                return Uni.createFrom().item(checked.outcome());
            }
            return partners.grant(clientId, checked.account().organizationId, checked.request().scopes(), checked.account().id)
                    .map(grant -> (Outcome) new Granted(checked.request()));
        });
    }

    @WithSession
    Uni<Checked> checkInSession(String cookie, String clientId, String scope) {
        return check(cookie, clientId, scope);
    }

    private record Checked(Outcome outcome, Request request, AccountEntity account) {
        static Checked refused(Outcome outcome) {
            return new Checked(outcome, null, null);
        }
    }

    private Uni<Checked> check(String cookie, String clientId, String scope) {
        return sessions.find(cookie).flatMap(session -> session == null
                ? Uni.createFrom().item(Checked.refused(new SignedOut()))
                : accounts.findActive(session.accountId).flatMap(account -> {
                    if (account == null) {
                        return Uni.createFrom().item(Checked.refused(new SignedOut()));
                    }
                    if (!Arrays.asList(account.roles).contains("operator")) {
                        return Uni.createFrom().item(Checked.refused(new Refused(403,
                                "Only an operator of your organization can let a partner act for it.")));
                    }
                    if (!secondFactor(session) || !selfService.fresh(session, account)) {
                        return Uni.createFrom().item(Checked.refused(new NotFresh()));
                    }
                    return request(account, clientId, scope);
                }));
    }

    private static boolean secondFactor(SsoSessionEntity session) {
        return AcrLevels.satisfies(session.acr, Authentication.AAL2) && session.secondFactorAt != null;
    }

    private Uni<Checked> request(AccountEntity account, String clientId, String scope) {
        List<String> scopes = scope == null || scope.isBlank() ? List.of("unlock") : List.of(scope.trim().split(" +"));
        Refused unknown = new Refused(404, "There is no partner application by that name.");
        if (clientId == null || clientId.length() > 200) {
            return Uni.createFrom().item(Checked.refused(unknown));
        }
        return clients.find(clientId).flatMap(client -> {
            if (client == null || !PartnerClients.PRIVATE_KEY_JWT.equals(client.tokenEndpointAuthMethod)) {
                return Uni.createFrom().item(Checked.refused(unknown));
            }
            if (!PartnerClients.PARTNER_SCOPES.containsAll(scopes) || !Arrays.asList(client.allowedScopes).containsAll(scopes)) {
                return Uni.createFrom().item(Checked.refused(new Refused(400, "The partner asks for access it cannot be given.")));
            }
            return organizations.findById(account.organizationId).map(organization -> new Checked(null,
                    new Request(client.name, client.clientId, scopes, organization == null ? "your organization" : organization.name),
                    account));
        });
    }
}
