package dev.portcullis.registry.ownership;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** An organization's ({@link #organizationId}) claim on a lock of another one, proven at the lock with its challenge. */
@Entity
@Table(name = "orphan_claim")
public class OrphanClaimEntity {

    public enum Status {
        OPEN, RECOVERED, BURNED, EXPIRED
    }

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "lock_id", nullable = false)
    public UUID lockId;

    @Column(name = "lock_organization_id", nullable = false)
    public UUID lockOrganizationId;

    /** The claimant's door the lock goes on. */
    @Column(name = "door_id", nullable = false)
    public UUID doorId;

    @Column(nullable = false)
    public byte[] challenge;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "failed_attempts", nullable = false)
    public int failedAttempts;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "decided_at")
    public OffsetDateTime decidedAt;

    @Column(name = "new_lock_id")
    public UUID newLockId;

    public Status statusAt(OffsetDateTime now) {
        return status == Status.OPEN && !expiresAt.isAfter(now) ? Status.EXPIRED : status;
    }
}
