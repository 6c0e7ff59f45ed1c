package dev.portcullis.registry.enrollment;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A lock's one-time enrollment secret, stored only as its SHA-256. */
@Entity
@Table(name = "enrollment_secret")
public class EnrollmentSecretEntity {

    @Id
    @Column(name = "lock_id")
    public UUID lockId;

    @Column(name = "secret_hash", nullable = false)
    public byte[] secretHash;

    @Column(name = "expires_at", nullable = false)
    public OffsetDateTime expiresAt;

    /** Who issued it (an operator's subject; null for seeded demo secrets): the lock's first admin once it enrolls. */
    @Column(name = "issued_by")
    public String issuedBy;

    @Column(name = "used_at")
    public OffsetDateTime usedAt;

    @Column(name = "burned_at")
    public OffsetDateTime burnedAt;

    @Column(name = "failed_attempts", nullable = false)
    public int failedAttempts;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** Why the secret can no longer be used at {@code now} (for the log), or null while it can. */
    public String unusableReason(OffsetDateTime now) {
        if (usedAt != null) {
            return "secret already used";
        }
        if (burnedAt != null) {
            return "secret burned after too many failed attempts";
        }
        if (!expiresAt.isAfter(now)) {
            return "secret expired";
        }
        return null;
    }

    /** Counts a wrong guess; burns the secret once {@code maxFailedAttempts} were made. Returns true if burned now. */
    public boolean recordFailure(OffsetDateTime now, int maxFailedAttempts) {
        failedAttempts++;
        if (failedAttempts >= maxFailedAttempts && burnedAt == null) {
            burnedAt = now;
            return true;
        }
        return false;
    }
}
