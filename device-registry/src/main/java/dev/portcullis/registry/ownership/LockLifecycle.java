package dev.portcullis.registry.ownership;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.events.v1.LockFactoryReset;
import dev.portcullis.proto.events.v1.LockOwnershipChanged;
import dev.portcullis.proto.events.v1.LockRetired;
import dev.portcullis.proto.events.v1.LockTransferChanged;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.enrollment.EnrollmentSecretRepository;
import dev.portcullis.registry.enrollment.EnrollmentSecrets;
import dev.portcullis.registry.lock.LockEntity;
import dev.portcullis.registry.lock.LockRepository;
import dev.portcullis.registry.lock.LockStatus;
import dev.portcullis.registry.lock.RevokedLockKeys;
import dev.portcullis.registry.portfolio.DoorRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The lock's life after enrollment: factory reset, replacement on its door, ownership transfer to another
 * organization. Each flow is one transaction: the lock rows, the revoked keys, a fresh one-time enrollment
 * secret where the lock must enroll (again) and the events. Whenever keys leave service they are recorded in
 * {@code revoked_lock_key} and the lock row forgets them, so look-ups no longer return them, the gateway
 * refuses the lock and enrollment refuses those keys for good.
 */
@ApplicationScoped
public class LockLifecycle {

    private static final Logger LOG = Logger.getLogger(LockLifecycle.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A lock that must enroll with the one-time secret issued to the operator (shown once, stored only as its hash). */
    public record AwaitingEnrollment(LockEntity lock, String enrollmentSecret, OffsetDateTime secretExpiresAt) {
    }

    @Inject
    LockRepository locks;

    @Inject
    DoorRepository doors;

    @Inject
    RevokedLockKeys revokedKeys;

    @Inject
    EnrollmentSecretRepository secrets;

    @Inject
    LockTransfers transfers;

    @Inject
    LockCredentialsTransition credentials;

    @Inject
    LifecycleEvents events;

    @Inject
    LifecycleConfig config;

    @Inject
    Clock clock;

    /**
     * Factory reset: the lock waits for enrollment again; its keys are revoked and a new enrollment secret is
     * issued. The lock's credentials stay recorded: what the reset lock lost is sent again after it enrolls.
     */
    @WithTransaction
    public Uni<AwaitingEnrollment> factoryReset(Operator op, UUID lockId) {
        OffsetDateTime now = now();
        return ownLock(op, lockId).flatMap(lock -> {
            int previousEpoch = lock.keyEpoch;
            return revokedKeys.revoke(lock, "FACTORY_RESET", now).flatMap(revoked -> {
                lock.awaitEnrollment();
                return issueSecret(lock, now, op.subject()).call(issued -> events.append(op.organizationId(), lock.id, "lock_factory_reset", op, now,
                        envelope -> envelope.setLockFactoryReset(LockFactoryReset.newBuilder()
                                .setLockId(lock.id.toString()).setDoorId(lock.doorId.toString())
                                .setPreviousKeyEpoch(previousEpoch).addAllRevokedKeyIds(revoked))))
                        .invoke(() -> LOG.infof("lock %s factory reset by %s; %d keys revoked", lock.id, op.subject(), revoked.size()));
            });
        });
    }

    /**
     * Replacement: a new lock (new serial number) takes the old one's door and waits for enrollment; the old one
     * is retired with its keys revoked and its credentials move to the new one.
     *
     * @param lockModelId the new lock's model, or null for the old one's
     */
    @WithTransaction
    public Uni<AwaitingEnrollment> replace(Operator op, UUID oldLockId, String serialNumber, UUID lockModelId) {
        OffsetDateTime now = now();
        return ownLock(op, oldLockId).flatMap(old -> model(op, old, lockModelId).flatMap(model -> serialFree(op.organizationId(), serialNumber)
                .flatMap(x -> revokedKeys.revoke(old, "REPLACED", now)).flatMap(revoked -> {
                    UUID doorId = old.doorId;
                    LockEntity successor = newLock(op.organizationId(), doorId, model.name(), model.id(), serialNumber, now);
                    old.retire("REPLACED", successor.id, now);
                    return locks.flush()
                            .flatMap(y -> locks.persistAndFlush(successor))
                            .flatMap(y -> issueSecret(successor, now, op.subject()))
                            .call(() -> credentials.moveAll(op.organizationId(), old.id, successor.id))
                            .call(() -> events.append(op.organizationId(), old.id, "lock_retired", op, now,
                                    envelope -> envelope.setLockRetired(LockRetired.newBuilder().setLockId(old.id.toString())
                                            .setDoorId(doorId.toString()).setReason("REPLACED")
                                            .setSuccessorLockId(successor.id.toString()).addAllRevokedKeyIds(revoked))))
                            .invoke(() -> LOG.infof("lock %s replaced by %s on door %s by %s", old.id, successor.id, doorId, op.subject()));
                })));
    }

    /** Offers the organization's lock to another organization until {@code expiresAt}. */
    @WithTransaction
    public Uni<LockTransferEntity> initiateTransfer(Operator op, UUID lockId, UUID toOrganization, OffsetDateTime expiresAt) {
        OffsetDateTime now = now();
        if (toOrganization.equals(op.organizationId())) {
            throw Checks.invalid("toOrganizationId must be another organization");
        }
        if (!expiresAt.isAfter(now) || expiresAt.isAfter(now.plus(config.maxTransferLifetime()))) {
            throw Checks.invalid("expiresAt must be in the future, at most " + config.maxTransferLifetime().toDays() + " days away");
        }
        return ownLock(op, lockId)
                .call(lock -> transfers.expire(lock.id, now))
                .call(lock -> transfers.pending(lock.id).invoke(pending -> {
                    if (pending != null) {
                        throw ProblemException.conflict("transfer-pending", "The lock already has a pending transfer; cancel it first")
                                .with("transferId", pending.id);
                    }
                }))
                .flatMap(lock -> {
                    LockTransferEntity transfer = new LockTransferEntity();
                    transfer.id = UUID.randomUUID();
                    transfer.organizationId = op.organizationId();
                    transfer.lockId = lock.id;
                    transfer.toOrganizationId = toOrganization;
                    transfer.status = LockTransferEntity.Status.PENDING;
                    transfer.expiresAt = expiresAt;
                    transfer.initiatedBy = op.subject();
                    transfer.createdAt = now;
                    return transfers.persist(transfer)
                            .call(t -> transferChanged(op, t, "initiated", now));
                });
    }

    /** The giving organization withdraws, or the receiving one declines, a pending transfer. */
    @WithTransaction
    public Uni<LockTransferEntity> cancelTransfer(Operator op, UUID transferId) {
        OffsetDateTime now = now();
        return transfers.findForUpdate(transferId).flatMap(transfer -> {
            boolean giver = transfer != null && transfer.organizationId.equals(op.organizationId());
            if (transfer == null || !giver && !transfer.toOrganizationId.equals(op.organizationId())) {
                throw ProblemException.notFound("The transfer");
            }
            pendingAt(transfer, now);
            transfer.status = LockTransferEntity.Status.CANCELLED;
            transfer.decidedBy = op.subject();
            transfer.decidedAt = now;
            return transferChanged(op, transfer, giver ? "cancelled" : "declined", now).replaceWith(transfer);
        });
    }

    /**
     * The receiving organization accepts and places the lock on one of its doors. The lock gets a new id there and
     * waits for enrollment with new keys (a fresh secret, issued to the receiver); the giver's record of it is retired
     * with its keys revoked and the giver's credentials on it revoked.
     */
    @WithTransaction
    public Uni<AwaitingEnrollment> acceptTransfer(Operator op, UUID transferId, UUID doorId) {
        OffsetDateTime now = now();
        return transfers.findForUpdate(transferId).flatMap(transfer -> {
            if (transfer == null || !transfer.toOrganizationId.equals(op.organizationId())) {
                throw ProblemException.notFound("The transfer");
            }
            pendingAt(transfer, now);
            return freeDoor(op, doorId).flatMap(x -> locks.findForUpdate(transfer.lockId)).flatMap(old -> {
                if (old == null || old.status == LockStatus.RETIRED || !old.organizationId.equals(transfer.organizationId)) {
                    throw ProblemException.conflict("lock-unavailable", "The lock offered is no longer in service with the giving organization");
                }
                return moveTo(op, old, doorId, "TRANSFERRED", transfer.id, "transfer", now).invoke(received -> {
                    transfer.status = LockTransferEntity.Status.ACCEPTED;
                    transfer.decidedBy = op.subject();
                    transfer.decidedAt = now;
                    transfer.newLockId = received.lock().id;
                });
            });
        });
    }

    /** 422 unless the door is the operator's organization's, 409 when a lock hangs on it. */
    Uni<Void> freeDoor(Operator op, UUID doorId) {
        return doors.findInOrganization(op.organizationId(), doorId).flatMap(door -> {
            if (door == null) {
                throw Checks.unprocessable("unknown-reference", "doorId must name a door of this organization");
            }
            return locks.findByDoor(doorId);
        }).map(occupant -> {
            if (occupant != null) {
                throw ProblemException.conflict("door-occupied", "The door already has a lock; replace or move it first");
            }
            return null;
        });
    }

    /**
     * Moves a lock to the operator's organization onto {@code doorId} (a door of it without a lock): the lock gets a new
     * id there and waits for enrollment with new keys (a fresh secret, issued to the operator); the old record is
     * retired with its keys revoked and its organization's credentials on it revoked.
     */
    Uni<AwaitingEnrollment> moveTo(Operator op, LockEntity old, UUID doorId, String reason, UUID changeId, String via, OffsetDateTime now) {
        UUID from = old.organizationId;
        return serialFree(op.organizationId(), old.serialNumber)
                .flatMap(x -> revokedKeys.revoke(old, reason, now))
                .flatMap(revoked -> {
                    UUID oldDoor = old.doorId;
                    LockEntity received = newLock(op.organizationId(), doorId, old.model, null, old.serialNumber, now);
                    old.retire(reason, null, now);
                    return locks.flush()
                            .flatMap(y -> locks.persistAndFlush(received))
                            .flatMap(y -> issueSecret(received, now, op.subject()))
                            .call(() -> credentials.revokeAll(from, old.id, via.equals("transfer") ? "ownership_transfer" : "orphan_recovery"))
                            .call(() -> events.append(from, old.id, "lock_retired", op, now,
                                    envelope -> envelope.setLockRetired(LockRetired.newBuilder().setLockId(old.id.toString())
                                            .setDoorId(oldDoor.toString()).setReason(reason).addAllRevokedKeyIds(revoked))))
                            .call(() -> events.append(op.organizationId(), received.id, "lock_ownership_changed", op, now,
                                    envelope -> envelope.setLockOwnershipChanged(LockOwnershipChanged.newBuilder()
                                            .setTransferId(changeId.toString()).setLockId(received.id.toString())
                                            .setDoorId(doorId.toString()).setFromOrganizationId(from.toString())
                                            .setSerialNumber(received.serialNumber == null ? "" : received.serialNumber).setVia(via))))
                            .invoke(() -> LOG.infof("lock %s of organization %s moved to organization %s as lock %s (%s)",
                                    old.id, from, op.organizationId(), received.id, via));
                });
    }

    /** A transfer either side may see. */
    @WithTransaction
    public Uni<LockTransferEntity> transfer(Operator op, UUID transferId) {
        return transfers.findById(transferId).map(transfer -> {
            if (transfer == null || !transfer.organizationId.equals(op.organizationId()) && !transfer.toOrganizationId.equals(op.organizationId())) {
                throw ProblemException.notFound("The transfer");
            }
            return transfer;
        });
    }

    private Uni<Void> transferChanged(Operator op, LockTransferEntity transfer, String state, OffsetDateTime now) {
        return events.append(transfer.organizationId, transfer.lockId, "lock_transfer_" + state, op, now,
                envelope -> envelope.setLockTransferChanged(LockTransferChanged.newBuilder()
                        .setTransferId(transfer.id.toString()).setLockId(transfer.lockId.toString())
                        .setToOrganizationId(transfer.toOrganizationId.toString())
                        .setExpiresAt(LifecycleEvents.timestamp(transfer.expiresAt)).setState(state)));
    }

    private static void pendingAt(LockTransferEntity transfer, OffsetDateTime now) {
        LockTransferEntity.Status status = transfer.statusAt(now);
        if (status != LockTransferEntity.Status.PENDING) {
            throw ProblemException.conflict("transfer-not-pending", "The transfer is " + status + ", not pending").with("transferStatus", status);
        }
    }

    /** The organization's lock, row-locked; 404 for another organization's, 409 when retired. */
    private Uni<LockEntity> ownLock(Operator op, UUID lockId) {
        return locks.findForUpdate(lockId).map(lock -> {
            if (lock == null || !lock.organizationId.equals(op.organizationId())) {
                throw ProblemException.notFound("The lock");
            }
            if (lock.status == LockStatus.RETIRED) {
                throw ProblemException.conflict("lock-retired", "The lock is retired");
            }
            return lock;
        });
    }

    private record Model(UUID id, String name) {
    }

    private Uni<Model> model(Operator op, LockEntity old, UUID lockModelId) {
        if (lockModelId == null) {
            return Uni.createFrom().item(new Model(old.lockModelId, old.model));
        }
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("SELECT model FROM lock_model WHERE id = :id AND organization_id = :org", String.class)
                .setParameter("id", lockModelId).setParameter("org", op.organizationId())
                .getResultList())
                .map(names -> {
                    if (names.isEmpty()) {
                        throw Checks.unprocessable("unknown-reference", "lockModelId must name a lock model of this organization");
                    }
                    return new Model(lockModelId, names.get(0));
                });
    }

    private Uni<Void> serialFree(UUID organization, String serialNumber) {
        if (serialNumber == null) {
            return Uni.createFrom().voidItem();
        }
        return locks.count("organizationId = ?1 and serialNumber = ?2", organization, serialNumber).map(count -> {
            if (count > 0) {
                throw ProblemException.conflict("duplicate", "A lock with this serial number already exists in the organization");
            }
            return null;
        });
    }

    private static LockEntity newLock(UUID organization, UUID doorId, String model, UUID lockModelId, String serialNumber, OffsetDateTime now) {
        LockEntity lock = new LockEntity();
        lock.id = UUID.randomUUID();
        lock.organizationId = organization;
        lock.doorId = doorId;
        lock.model = model;
        lock.lockModelId = lockModelId;
        lock.serialNumber = serialNumber;
        lock.status = LockStatus.PENDING_ENROLLMENT;
        lock.keyEpoch = 0;
        lock.createdAt = now;
        return lock;
    }

    /**
     * A one-time enrollment secret for a registered lock that has not enrolled yet (re-issuing replaces the
     * previous one). The operator who issues it becomes the lock's first admin when the lock enrolls with it.
     */
    @WithTransaction
    public Uni<AwaitingEnrollment> issueEnrollmentSecret(Operator op, UUID lockId) {
        OffsetDateTime now = now();
        return ownLock(op, lockId).flatMap(lock -> {
            if (lock.status != LockStatus.PENDING_ENROLLMENT) {
                throw dev.portcullis.kit.problem.ProblemException.conflict("wrong-state", "The lock is " + lock.status
                        + "; an enrolled lock gets a new secret only through a factory reset");
            }
            return issueSecret(lock, now, op.subject());
        });
    }

    private Uni<AwaitingEnrollment> issueSecret(LockEntity lock, OffsetDateTime now, String issuedBy) {
        byte[] random = new byte[24];
        RANDOM.nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        OffsetDateTime expiresAt = now.plus(config.enrollmentSecretLifetime());
        return secrets.issue(lock.id, EnrollmentSecrets.hash(secret), now, expiresAt, issuedBy)
                .map(issued -> new AwaitingEnrollment(lock, secret, expiresAt));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
