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

    @Column(name = "door_id", nullable = false, unique = true)
    public UUID doorId;

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

    /** True when this lock is enrolled with exactly these keys. */
    public boolean enrolledWith(LockKeys keys) {
        return status == LockStatus.ENROLLED && Arrays.equals(signingKeySpki, keys.signingSpki())
                && Arrays.equals(agreementKeySpki, keys.agreementSpki());
    }
}
