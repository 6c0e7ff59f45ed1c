package dev.portcullis.identity.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A person who signs in: credentials, second factor, roles and the state of failed attempts. */
@Entity
@Table(name = "account")
public class AccountEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    /** Normalized: see {@link Usernames#normalize}. Null once the account is deleted. */
    @Column(unique = true)
    public String username;

    @Column(name = "display_name", nullable = false)
    public String displayName;

    /** Argon2id (PHC); null until an invited account is activated, and after deletion. */
    @Column(name = "password_hash")
    public String passwordHash;

    /** Sealed by {@code DataCipher} with context {@link #totpContext()}; null when no TOTP is enrolled. */
    @Column(name = "totp_secret")
    public byte[] totpSecret;

    @Column(name = "totp_last_step")
    public Long totpLastStep;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] roles;

    @Column(name = "failed_attempts", nullable = false)
    public int failedAttempts;

    /** The end of the current lockout (see {@code LoginThrottle}); null or past when not locked. */
    @Column(name = "throttled_until")
    public OffsetDateTime throttledUntil;

    /** When the current lockout began. */
    @Column(name = "locked_at")
    public OffsetDateTime lockedAt;

    /** When the password was first set (null: invited, not activated yet). */
    @Column(name = "activated_at")
    public OffsetDateTime activatedAt;

    /** When the personal data was purged; the row stays as a tombstone. */
    @Column(name = "deleted_at")
    public OffsetDateTime deletedAt;

    @Column(nullable = false)
    public boolean disabled;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    /** May sign in at all: activated, not disabled, not deleted (a lockout is decided separately). */
    public boolean canSignIn() {
        return !disabled && deletedAt == null && passwordHash != null;
    }

    public boolean hasTotp() {
        return totpSecret != null;
    }

    /** The associated data that binds a sealed TOTP seed to this account. */
    public String totpContext() {
        return totpContext(id);
    }

    public static String totpContext(UUID accountId) {
        return "account:" + accountId + ":totp";
    }
}
