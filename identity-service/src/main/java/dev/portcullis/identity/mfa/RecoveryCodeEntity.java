package dev.portcullis.identity.mfa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One recovery code of an account, stored as its SHA-256 only. */
@Entity
@Table(name = "recovery_code")
public class RecoveryCodeEntity {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;
}
