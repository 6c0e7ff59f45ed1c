package dev.portcullis.identity.oidc;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A JWT access token by jti: issued under a grant, or revoked on its own (the revocation list). */
@Entity
@Table(name = "access_token")
public class AccessTokenEntity {

    @Id
    public String jti;

    @Column(name = "grant_id")
    public UUID grantId;

    @Column(name = "client_id", nullable = false)
    public String clientId;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "revoked_at")
    public OffsetDateTime revokedAt;
}
