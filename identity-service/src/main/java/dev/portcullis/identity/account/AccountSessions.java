package dev.portcullis.identity.account;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * Ends everything an account has in flight, in the caller's transaction: called when an operator
 * disables or deletes it. Today that is its sign-ins in progress and its unredeemed authorization
 * codes (redeemed ones are refused anyway, the token endpoint checks the account). The refresh-token
 * family store must add its revocation here ({@code revokeAll}) so a disabled account's refresh
 * tokens die at once.
 */
@ApplicationScoped
public class AccountSessions {

    public Uni<Void> revokeAll(UUID accountId) {
        return Panache.getSession()
                .flatMap(session -> session.createNativeQuery("delete from login_flow where account_id = ?1")
                        .setParameter(1, accountId).executeUpdate()
                        .flatMap(ignored -> session.createNativeQuery(
                                "delete from authorization_code where account_id = ?1 and used_at is null")
                                .setParameter(1, accountId).executeUpdate()))
                .replaceWithVoid();
    }
}
