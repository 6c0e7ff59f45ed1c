package dev.portcullis.registry.lock;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.UUID;

/** A lock on a door, with the public keys it enrolled (none while it waits for enrollment). */
@Entity
@Table(name = "lock")
public class LockEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    /** The door it hangs on; null once it is retired (then {@link #lastDoorId} says where it hung). */
    @Column(name = "door_id", unique = true)
    public UUID doorId;

    @Column(name = "last_door_id")
    public UUID lastDoorId;

    @Column(name = "lock_model_id")
    public UUID lockModelId;

    @Column(name = "serial_number")
    public String serialNumber;

    /** The lock's first admin: who issued the secret it enrolled with. */
    @Column(name = "admin_subject_id")
    public String adminSubjectId;

    @Column(name = "retired_at")
    public OffsetDateTime retiredAt;

    /** REPLACED or TRANSFERRED. */
    @Column(name = "retired_reason")
    public String retiredReason;

    @Column(name = "successor_lock_id")
    public UUID successorLockId;

    @Column(nullable = false)
    public String model;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public LockStatus status;

    @Column(name = "signing_key_spki")
    public byte[] signingKeySpki;

    @Column(name = "signing_key_id")
    public String signingKeyId;

    @Column(name = "agreement_key_spki")
    public byte[] agreementKeySpki;

    @Column(name = "agreement_key_id")
    public String agreementKeyId;

    /** Incremented each time the lock's keys are set; part of every command addressed to it. */
    @Column(name = "key_epoch", nullable = false)
    public int keyEpoch;

    @Column(name = "firmware_version")
    public String firmwareVersion;

    @Column(name = "enrolled_at")
    public OffsetDateTime enrolledAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    /** Records the lock's keys and puts it in service under the next key epoch. */
    public void enroll(LockKeys keys, String firmwareVersion, OffsetDateTime at) {
        if (status != LockStatus.PENDING_ENROLLMENT) {
            throw new IllegalStateException("lock " + id + " is " + status + ", not pending enrollment");
        }
        this.signingKeySpki = keys.signingSpki();
        this.signingKeyId = keys.signingKeyId();
        this.agreementKeySpki = keys.agreementSpki();
        this.agreementKeyId = keys.agreementKeyId();
        this.keyEpoch = keyEpoch + 1;
        this.firmwareVersion = firmwareVersion;
        this.enrolledAt = at;
        this.status = LockStatus.ENROLLED;
    }

    /** Takes the lock out of service for good: it leaves its door, which a successor may then take. */
    public void retire(String reason, UUID successor, OffsetDateTime at) {
        if (status == LockStatus.RETIRED) {
            throw new IllegalStateException("lock " + id + " is already retired");
        }
        clearKeys();
        this.status = LockStatus.RETIRED;
        this.lastDoorId = doorId;
        this.doorId = null;
        this.retiredAt = at;
        this.retiredReason = reason;
        this.successorLockId = successor;
    }

    /** Back to waiting for enrollment (factory reset): the keys are gone; the next enrollment gets the next key epoch. */
    public void awaitEnrollment() {
        if (status == LockStatus.RETIRED) {
            throw new IllegalStateException("lock " + id + " is retired");
        }
        clearKeys();
        this.status = LockStatus.PENDING_ENROLLMENT;
        this.enrolledAt = null;
    }

    private void clearKeys() {
        this.signingKeySpki = null;
        this.signingKeyId = null;
        this.agreementKeySpki = null;
        this.agreementKeyId = null;
    }

    /** True when this lock is enrolled with exactly these keys. */
    public boolean enrolledWith(LockKeys keys) {
        return status == LockStatus.ENROLLED && Arrays.equals(signingKeySpki, keys.signingSpki())
                && Arrays.equals(agreementKeySpki, keys.agreementSpki());
    }
}
