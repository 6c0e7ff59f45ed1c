package dev.portcullis.registry.ownership;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A lock offered by one organization ({@link #organizationId}) to another ({@link #toOrganizationId}). */
@Entity
@Table(name = "lock_transfer")
public class LockTransferEntity {

    public enum Status {
        PENDING, ACCEPTED, CANCELLED, EXPIRED
    }

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "lock_id", nullable = false)
    public UUID lockId;

    @Column(name = "to_organization_id", nullable = false)
    public UUID toOrganizationId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Status status;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    @Column(name = "initiated_by", nullable = false)
    public String initiatedBy;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "decided_by")
    public String decidedBy;

    @Column(name = "decided_at")
    public OffsetDateTime decidedAt;

    /** The lock's id in the receiving organization, once accepted. */
    @Column(name = "new_lock_id")
    public UUID newLockId;

    /** The status as it stands at {@code now}: a pending transfer past its expiry is expired. */
    public Status statusAt(OffsetDateTime now) {
        return status == Status.PENDING && !expiresAt.isAfter(now) ? Status.EXPIRED : status;
    }
}
