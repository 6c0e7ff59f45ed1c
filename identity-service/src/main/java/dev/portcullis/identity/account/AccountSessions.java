package dev.portcullis.identity.account;

import dev.portcullis.identity.oidc.TokenGrants;
import dev.portcullis.identity.session.SsoSessions;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * Ends everything an account has in flight, in the caller's transaction: called when an operator
 * disables or deletes it, or resets its MFA: its sign-ins in progress, its unredeemed authorization
 * codes, its single sign-on sessions, and every token grant (refresh-token families and the access tokens issued under them, so
 * introspection and userinfo say inactive at once).
 */
@ApplicationScoped
public class AccountSessions {

    @Inject
    TokenGrants grants;

    @Inject
    SsoSessions ssoSessions;

    public Uni<Void> revokeAll(UUID accountId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("delete from login_flow where account_id = ?1")
                        .setParameter(1, accountId).executeUpdate()
                        .flatMap(ignored -> session.createNativeQuery(
                                "delete from authorization_code where account_id = ?1 and used_at is null")
                                .setParameter(1, accountId).executeUpdate()))
                .flatMap(ignored -> grants.revokeAllOf(accountId, "account changed by an operator"))
                .flatMap(ignored -> ssoSessions.endAll(accountId))
                .replaceWithVoid();
    }
}
