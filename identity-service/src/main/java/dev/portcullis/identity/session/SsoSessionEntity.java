package dev.portcullis.identity.session;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A browser's single sign-on session: who signed in, when, and with which factors. */
@Entity
@Table(name = "sso_session")
public class SsoSessionEntity {

    /** Base64url SHA-256 of the cookie value (the value itself lives only in the browser). */
    @Id
    @Column(name = "id_hash")
    public String idHash;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    /** When the latest authentication (login or step-up) completed. */
    @Column(name = "auth_time", nullable = false)
    public OffsetDateTime authTime;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] amr;

    @Column(nullable = false)
    public String acr;

    @Column(name = "password_at", nullable = false)
    public OffsetDateTime passwordAt;

    /** When a second factor (TOTP or recovery code) was last proven in this session; null = never. */
    @Column(name = "second_factor_at")
    public OffsetDateTime secondFactorAt;

    @Column(name = "pending_totp_secret")
    public byte[] pendingTotpSecret;

    /** A WebAuthn registration challenge (base64url) issued to this session; single use. */
    @Column(name = "webauthn_challenge")
    public String webauthnChallenge;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;
}
