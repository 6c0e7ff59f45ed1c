package dev.portcullis.identity.account;

import dev.portcullis.identity.mfa.TotpSecrets;
import dev.portcullis.identity.password.PasswordHasher;
import dev.portcullis.identity.secret.DataCipher;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Creates and updates organizations and accounts (hashing passwords and sealing TOTP seeds on the way in). */
@ApplicationScoped
public class Accounts {

    @Inject
    AccountRepository accounts;

    @Inject
    OrganizationRepository organizations;

    @Inject
    PasswordHasher hasher;

    @Inject
    DataCipher cipher;

    @Inject
    Clock clock;

    /** An account as an operator (or the demo) defines it; {@code totpSecret} is base32, or null for none. */
    public record AccountDefinition(UUID id, UUID organizationId, String username, String displayName, String password,
            String totpSecret, List<String> roles) {

        public AccountDefinition {
            if (Usernames.normalize(username).isEmpty() || Usernames.normalize(username).length() > Usernames.MAX_LENGTH) {
                throw new IllegalArgumentException("a username is required (at most " + Usernames.MAX_LENGTH + " characters)");
            }
            if (password == null || password.length() < 8) {
                throw new IllegalArgumentException("a password needs at least 8 characters");
            }
            if (totpSecret != null) {
                TotpSecrets.decode(totpSecret);
            }
        }
    }

    @WithTransaction
    public Uni<OrganizationEntity> upsertOrganization(UUID id, String name) {
        return organizations.upsert(id, name, now());
    }

    /**
     * Creates the account, or sets the definition's password, TOTP seed, name and roles on the existing
     * one. A new TOTP seed starts a fresh single-use history; an unchanged one keeps it.
     */
    public Uni<AccountEntity> upsert(AccountDefinition definition) {
        return hasher.hash(definition.password()).flatMap(hash -> save(definition, hash));
    }

    @WithTransaction
    Uni<AccountEntity> save(AccountDefinition definition, String passwordHash) {
        return accounts.findById(definition.id()).flatMap(existing -> {
            AccountEntity account = existing != null ? existing : new AccountEntity();
            byte[] newSeed = definition.totpSecret() == null ? null : TotpSecrets.decode(definition.totpSecret());
            byte[] oldSeed = existing == null || existing.totpSecret == null ? null
                    : cipher.decrypt(existing.totpSecret, existing.totpContext());
            account.id = definition.id();
            account.organizationId = definition.organizationId();
            account.username = Usernames.normalize(definition.username());
            account.displayName = definition.displayName();
            account.passwordHash = passwordHash;
            account.totpSecret = newSeed == null ? null : cipher.encrypt(newSeed, AccountEntity.totpContext(definition.id()));
            if (!Arrays.equals(oldSeed, newSeed)) {
                account.totpLastStep = null;
            }
            account.roles = definition.roles().toArray(String[]::new);
            account.disabled = false;
            OffsetDateTime now = now();
            if (account.createdAt == null) {
                account.createdAt = now;
            }
            if (account.activatedAt == null) {
                account.activatedAt = now;
            }
            account.updatedAt = now;
            return accounts.persist(account);
        });
    }

    /** Disables or re-enables sign-in for the account. */
    @WithTransaction
    public Uni<Void> setDisabled(UUID accountId, boolean disabled) {
        return accounts.findById(accountId).invoke(account -> {
            account.disabled = disabled;
            account.updatedAt = now();
        }).replaceWithVoid();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
