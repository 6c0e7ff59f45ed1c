package dev.portcullis.identity.oidc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** An issued authorization code: stored under the SHA-256 of the code, redeemable once. */
@Entity
@Table(name = "authorization_code")
public class AuthorizationCodeEntity {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "redirect_uri", nullable = false)
    public String redirectUri;

    @Column(nullable = false)
    public String scope;

    public String nonce;

    @Column(name = "code_challenge", nullable = false)
    public String codeChallenge;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "auth_time", nullable = false)
    public OffsetDateTime authTime;

    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] amr;

    @Column(nullable = false)
    public String acr;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;

    /** Set when the code was presented again after its first redemption (what it issued is then revoked). */
    @Column(name = "reused_at")
    public OffsetDateTime reusedAt;
}
