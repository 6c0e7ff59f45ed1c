package dev.portcullis.identity.mfa;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A registered passkey: its public key (attested credential data) and signature counter. */
@Entity
@Table(name = "webauthn_credential")
public class WebAuthnCredentialEntity {

    /** Base64url of the credential id. */
    @Id
    @Column(name = "credential_id")
    public String credentialId;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "attested_credential_data", nullable = false)
    public byte[] attestedCredentialData;

    @Column(name = "sign_count", nullable = false)
    public long signCount;

    @Column(name = "uv_initialized", nullable = false)
    public boolean uvInitialized;

    @Column(name = "backup_eligible")
    public Boolean backupEligible;

    @Column(name = "backup_state")
    public Boolean backupState;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "last_used_at")
    public OffsetDateTime lastUsedAt;
}
