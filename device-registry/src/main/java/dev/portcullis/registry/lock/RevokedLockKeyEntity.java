package dev.portcullis.registry.lock;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A public key taken out of service with its lock (replacement, ownership transfer, factory reset). Kept for
 * verifying what the lock signed while the key was valid; enrollment refuses it for good.
 */
@Entity
@Table(name = "revoked_lock_key")
public class RevokedLockKeyEntity {

    @Id
    @Column(name = "key_id")
    public String keyId;

    @Column(name = "lock_id", nullable = false)
    public UUID lockId;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    /** Ed25519 or X25519. */
    @Column(nullable = false)
    public String algorithm;

    @Column(nullable = false)
    public byte[] spki;

    @Column(name = "key_epoch", nullable = false)
    public int keyEpoch;

    @Column(nullable = false)
    public String reason;

    @Column(name = "revoked_at", nullable = false)
    public OffsetDateTime revokedAt;
}
