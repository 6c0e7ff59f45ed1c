package dev.portcullis.identity.oidc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * One redeemed authorization code: a sign-in at one client. Its refresh tokens form one rotation
 * family, and the access tokens issued under it are recorded by jti; revoking the grant kills all of them.
 */
@Entity
@Table(name = "token_grant")
public class TokenGrantEntity {

    @Id
    public UUID id;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "account_id", nullable = false)
    public UUID accountId;

    @Column(name = "code_hash")
    public String codeHash;

    @Column(nullable = false)
    public String scope;

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

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;
}
