package dev.portcullis.identity.account;

import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.login.LoginThrottle;
import dev.portcullis.identity.secret.Tokens;
import dev.portcullis.kit.problem.ProblemException;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What operators do to the accounts of their organization: invite, disable, enable, reset MFA, clear
 * a lockout, delete (purging personal data). Every change emits its event through the outbox in the
 * same transaction, naming the operator as the actor. Accounts of other organizations are "not found".
 */
@ApplicationScoped
public class AccountAdmin {

    private static final Pattern ROLE = Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    @Inject
    AccountRepository accounts;

    @Inject
    OrganizationRepository organizations;

    @Inject
    InvitationRepository invitations;

    @Inject
    AccountEvents events;

    @Inject
    AccountSessions sessions;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    private LoginThrottle throttle;

    @PostConstruct
    void init() {
        throttle = LoginThrottle.of(config.throttle());
    }

    /** The invitation token is returned once, here; only its hash is stored. */
    public record Invited(AccountEntity account, String token, OffsetDateTime expiresAt) {
    }

    public record NewAccount(String username, String displayName, List<String> roles) {
    }

    @WithSession
    public Uni<OrganizationEntity> organization(UUID organizationId) {
        return organizations.findById(organizationId).map(org -> {
            if (org == null) {
                throw ProblemException.notFound("The organization");
            }
            return org;
        });
    }

    @WithTransaction
    public Uni<OrganizationEntity> setRequireMfa(UUID organizationId, boolean requireMfa) {
        return organization(organizationId).invoke(org -> org.requireMfa = requireMfa);
    }

    @WithSession
    public Uni<List<AccountEntity>> list(UUID organizationId) {
        return accounts.list("organizationId = ?1 order by createdAt, id", organizationId);
    }

    @WithSession
    public Uni<List<AccountEntity>> lockedOut(UUID organizationId) {
        return accounts.list("organizationId = ?1 and throttledUntil > ?2 order by lockedAt", organizationId, now());
    }

    @WithSession
    public Uni<AccountEntity> get(UUID organizationId, UUID accountId) {
        return accounts.findById(accountId).map(account -> inOrganization(account, organizationId));
    }

    @WithTransaction
    public Uni<Invited> invite(AccountEvents.Operator operator, UUID organizationId, NewAccount request) {
        String username = Usernames.normalize(request.username());
        if (username.isEmpty() || username.length() > Usernames.MAX_LENGTH) {
            throw ProblemException.badRequest("invalid-username", "A username of 1 to " + Usernames.MAX_LENGTH + " characters is required");
        }
        String displayName = request.displayName() == null ? "" : request.displayName().strip();
        if (displayName.isEmpty() || displayName.length() > 200) {
            throw ProblemException.badRequest("invalid-display-name", "A display name of 1 to 200 characters is required");
        }
        List<String> roles = request.roles() == null || request.roles().isEmpty() ? List.of("tenant") : request.roles();
        if (roles.size() > 8 || !roles.stream().allMatch(role -> role != null && ROLE.matcher(role).matches())) {
            throw ProblemException.badRequest("invalid-roles", "Roles are lower-case words (at most 8)");
        }
        OffsetDateTime now = now();
        return organization(organizationId)
                .flatMap(org -> accounts.findByUsername(username))
                .flatMap(existing -> {
                    if (existing != null) {
                        throw ProblemException.conflict("username-taken", "This username is not available");
                    }
                    AccountEntity account = new AccountEntity();
                    account.id = UUID.randomUUID();
                    account.organizationId = organizationId;
                    account.username = username;
                    account.displayName = displayName;
                    account.roles = Set.copyOf(roles).stream().sorted().toArray(String[]::new);
                    account.createdAt = now;
                    account.updatedAt = now;
                    String token = Tokens.random256();
                    InvitationEntity invitation = new InvitationEntity();
                    invitation.tokenHash = Tokens.storageKey(token);
                    invitation.accountId = account.id;
                    invitation.createdAt = now;
                    invitation.expiresAt = now.plus(config.invitations().lifetime());
                    return accounts.persist(account)
                            .flatMap(ignored -> accounts.flush())
                            .flatMap(ignored -> invitations.persist(invitation))
                            .flatMap(ignored -> events.invited(account, operator))
                            .replaceWith(new Invited(account, token, invitation.expiresAt));
                });
    }

    @WithTransaction
    public Uni<AccountEntity> disable(AccountEvents.Operator operator, UUID organizationId, UUID accountId) {
        return lockLive(organizationId, accountId).flatMap(account -> {
            if (account.disabled) {
                return Uni.createFrom().item(account);
            }
            account.disabled = true;
            account.updatedAt = now();
            return sessions.revokeAll(account.id)
                    .flatMap(ignored -> events.disabled(account, operator))
                    .replaceWith(account);
        });
    }

    @WithTransaction
    public Uni<AccountEntity> enable(AccountEvents.Operator operator, UUID organizationId, UUID accountId) {
        return lockLive(organizationId, accountId).flatMap(account -> {
            if (!account.disabled) {
                return Uni.createFrom().item(account);
            }
            account.disabled = false;
            account.updatedAt = now();
            return events.enabled(account, operator).replaceWith(account);
        });
    }

    /** Removes every second factor (today: TOTP); the person enrolls again at the next sign-in. */
    @WithTransaction
    public Uni<AccountEntity> resetMfa(AccountEvents.Operator operator, UUID organizationId, UUID accountId) {
        return lockLive(organizationId, accountId).flatMap(account -> {
            account.totpSecret = null;
            account.totpLastStep = null;
            account.updatedAt = now();
            return sessions.revokeAll(account.id)
                    .flatMap(ignored -> events.mfaChanged(account, operator, "reset"))
                    .replaceWith(account);
        });
    }

    @WithTransaction
    public Uni<AccountEntity> clearLockout(AccountEvents.Operator operator, UUID organizationId, UUID accountId) {
        return lockLive(organizationId, accountId).flatMap(account -> {
            boolean wasLocked = account.throttledUntil != null || account.failedAttempts > 0;
            throttle.reset(account);
            account.updatedAt = now();
            return wasLocked ? events.unlocked(account, operator).replaceWith(account) : Uni.createFrom().item(account);
        });
    }

    /**
     * Purges the personal data (username, display name, password hash, TOTP seed, roles, invitations)
     * and keeps the id as a tombstone, so earlier audit events still name the same subject.
     */
    @WithTransaction
    public Uni<Void> delete(AccountEvents.Operator operator, UUID organizationId, UUID accountId) {
        return lockLive(organizationId, accountId).flatMap(account -> {
            account.username = null;
            account.displayName = "";
            account.passwordHash = null;
            account.totpSecret = null;
            account.totpLastStep = null;
            account.roles = new String[0];
            account.disabled = true;
            throttle.reset(account);
            account.deletedAt = now();
            account.updatedAt = account.deletedAt;
            return sessions.revokeAll(account.id)
                    .flatMap(ignored -> invitations.deleteFor(account.id))
                    .flatMap(ignored -> events.deleted(account, operator));
        });
    }

    private Uni<AccountEntity> lockLive(UUID organizationId, UUID accountId) {
        return accounts.lock(accountId).map(account -> {
            AccountEntity found = inOrganization(account, organizationId);
            if (found.deletedAt != null) {
                throw ProblemException.notFound("The account");
            }
            return found;
        });
    }

    private static AccountEntity inOrganization(AccountEntity account, UUID organizationId) {
        if (account == null || !account.organizationId.equals(organizationId)) {
            throw ProblemException.notFound("The account");
        }
        return account;
    }

    private OffsetDateTime now() {
        return clock.instant().atOffset(ZoneOffset.UTC);
    }
}
