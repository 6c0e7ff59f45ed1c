package dev.portcullis.identity.account;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An invitation to activate an account: single use, expiring; only the token's SHA-256 is stored. */
@Entity
@Table(name = "account_invitation")
public class InvitationEntity {

    /** Base64url SHA-256 of the invitation token ({@code Tokens.storageKey}). */
    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;

    public boolean usable(OffsetDateTime now) {
        return usedAt == null && now.isBefore(expiresAt);
    }
}
