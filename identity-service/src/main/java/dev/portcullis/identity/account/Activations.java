package dev.portcullis.identity.account;

import dev.portcullis.identity.password.PasswordHasher;
import dev.portcullis.identity.password.PasswordPolicy;
import dev.portcullis.identity.secret.Tokens;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * Invite → activate: the invitee opens the link, chooses a password (the password policy applies) and
 * the invitation is used up. The check that the invitation is still unused and unexpired is repeated
 * under its row lock in the transaction that sets the password, so a link works exactly once.
 */
@ApplicationScoped
public class Activations {

    public static final int MAX_TOKEN_LENGTH = 64;

    @Inject
    InvitationRepository invitations;

    @Inject
    AccountRepository accounts;

    @Inject
    OrganizationRepository organizations;

    @Inject
    PasswordHasher hasher;

    @Inject
    AccountEvents events;

    @Inject
    Clock clock;

    /** What the activation page needs to know about a usable invitation. */
    public record Pending(AccountEntity account, OrganizationEntity organization) {

        /** The password will be the only factor: the organization does not require MFA and none is enrolled. */
        public boolean passwordOnly() {
            return !organization.requireMfa && !account.hasTotp();
        }
    }

    public sealed interface Outcome {
        record Activated(AccountEntity account, boolean mfaRequired) implements Outcome {
        }

        /** The password was refused (the form is shown again with the reason). */
        record Refused(String reason, Pending pending) implements Outcome {
        }

        /** Unknown, expired or used invitation. */
        record Invalid() implements Outcome {
        }
    }

    @WithSession
    public Uni<Optional<Pending>> pending(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return Uni.createFrom().item(Optional.empty());
        }
        OffsetDateTime now = now();
        return invitations.findById(Tokens.storageKey(token)).flatMap(invitation -> {
            if (invitation == null || !invitation.usable(now)) {
                return Uni.createFrom().item(Optional.<Pending>empty());
            }
            return accounts.findById(invitation.accountId).flatMap(account -> {
                if (account == null || account.deletedAt != null || account.passwordHash != null) {
                    return Uni.createFrom().item(Optional.<Pending>empty());
                }
                return organizations.findById(account.organizationId)
                        .map(org -> Optional.of(new Pending(account, org)));
            });
        });
    }

    public Uni<Outcome> activate(String token, String password, String confirmation) {
        return pending(token).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(new Outcome.Invalid());
            }
            Pending pending = found.get();
            if (password == null || !password.equals(confirmation)) {
                return Uni.createFrom().item(new Outcome.Refused("The two passwords do not match.", pending));
            }
            Optional<String> violation = PasswordPolicy.violation(password, pending.passwordOnly(),
                    List.of(pending.account().username, pending.account().displayName, pending.organization().name));
            if (violation.isPresent()) {
                return Uni.createFrom().item(new Outcome.Refused(violation.get(), pending));
            }
            return hasher.hash(password).flatMap(hash -> complete(token, hash, pending.organization().requireMfa));
        });
    }

    @WithTransaction
    Uni<Outcome> complete(String token, String passwordHash, boolean mfaRequired) {
        OffsetDateTime now = now();
        return invitations.lock(Tokens.storageKey(token)).flatMap(invitation -> {
            if (invitation == null || !invitation.usable(now)) {
                return Uni.createFrom().item(new Outcome.Invalid());
            }
            return accounts.lock(invitation.accountId).flatMap(account -> {
                if (account == null || account.deletedAt != null || account.passwordHash != null) {
                    return Uni.createFrom().item(new Outcome.Invalid());
                }
                invitation.usedAt = now;
                account.passwordHash = passwordHash;
                account.activatedAt = now;
                account.updatedAt = now;
                return events.activated(account).replaceWith(new Outcome.Activated(account, mfaRequired));
            });
        });
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
