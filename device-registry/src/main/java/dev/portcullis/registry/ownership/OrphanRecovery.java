package dev.portcullis.registry.ownership;

import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.lock.protocol.PublicKeys;
import dev.portcullis.lock.protocol.RecoveryChallenge;
import dev.portcullis.proto.events.v1.LockTransferChanged;
import dev.portcullis.registry.admin.Checks;
import dev.portcullis.registry.admin.Operator;
import dev.portcullis.registry.lock.LockEntity;
import dev.portcullis.registry.lock.LockRepository;
import dev.portcullis.registry.lock.LockStatus;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Orphan recovery: an organization takes over a lock whose owner is gone by proving physical presence at it. The
 * claimant names the lock (its id is on the device) and the door it will hang on, and gets a random challenge;
 * someone at the lock, in recovery mode, has it sign the challenge ({@link RecoveryChallenge}); the answer, checked
 * against the lock's enrolled signing key, moves the lock as an accepted ownership transfer would. Every claim is
 * audited in the owner's organization; a challenge expires and a claim is burned after a few wrong answers.
 */
@ApplicationScoped
public class OrphanRecovery {

    private static final Logger LOG = Logger.getLogger(OrphanRecovery.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** What a proof did: moved the lock, or was refused (the failed attempt is recorded either way). */
    public record Outcome(LockLifecycle.AwaitingEnrollment recovered, OrphanClaimEntity claim) {
    }

    @Inject
    LockRepository locks;

    @Inject
    OrphanClaims claims;

    @Inject
    LockLifecycle lifecycle;

    @Inject
    LifecycleEvents events;

    @Inject
    LifecycleConfig config;

    @Inject
    Clock clock;

    @WithTransaction
    public Uni<OrphanClaimEntity> open(Operator op, UUID lockId, UUID doorId) {
        OffsetDateTime now = now();
        return locks.findForUpdate(lockId).flatMap(lock -> {
            if (lock == null || lock.status == LockStatus.RETIRED) {
                throw ProblemException.notFound("The lock");
            }
            if (lock.organizationId.equals(op.organizationId())) {
                throw Checks.unprocessable("own-lock", "The lock is this organization's own; a factory reset re-enrolls it");
            }
            if (lock.status != LockStatus.ENROLLED) {
                throw ProblemException.conflict("lock-not-enrolled", "Only an enrolled lock can prove a claim with its key");
            }
            return lifecycle.freeDoor(op, doorId)
                    .flatMap(x -> claims.expire(lockId, op.organizationId(), now))
                    .flatMap(x -> claims.open(lockId, op.organizationId()))
                    .flatMap(open -> {
                        if (open > 0) {
                            throw ProblemException.conflict("claim-open", "This organization already has an open claim on the lock");
                        }
                        OrphanClaimEntity claim = new OrphanClaimEntity();
                        claim.id = UUID.randomUUID();
                        claim.organizationId = op.organizationId();
                        claim.lockId = lockId;
                        claim.lockOrganizationId = lock.organizationId;
                        claim.doorId = doorId;
                        claim.challenge = new byte[RecoveryChallenge.CHALLENGE_BYTES];
                        RANDOM.nextBytes(claim.challenge);
                        claim.status = OrphanClaimEntity.Status.OPEN;
                        claim.expiresAt = now.plus(config.orphanClaimLifetime());
                        claim.createdBy = op.subject();
                        claim.createdAt = now;
                        return claims.persist(claim).call(c -> audit(op, c, "claim_opened", now))
                                .invoke(c -> LOG.infof("organization %s opened orphan claim %s on lock %s of organization %s",
                                        op.organizationId(), c.id, lockId, lock.organizationId));
                    });
        });
    }

    /** Checks the lock's answer to the claim's challenge; a wrong one is counted (and commits), the claim burns at the limit. */
    @WithTransaction
    public Uni<Outcome> prove(Operator op, UUID claimId, byte[] signature) {
        OffsetDateTime now = now();
        return claims.findForUpdate(claimId).flatMap(claim -> {
            if (claim == null || !claim.organizationId.equals(op.organizationId())) {
                throw ProblemException.notFound("The claim");
            }
            OrphanClaimEntity.Status status = claim.statusAt(now);
            if (status != OrphanClaimEntity.Status.OPEN) {
                throw ProblemException.conflict("claim-not-open", "The claim is " + status + "; open a new one").with("claimStatus", status);
            }
            return locks.findForUpdate(claim.lockId).flatMap(lock -> {
                if (lock.status != LockStatus.ENROLLED || !lock.organizationId.equals(claim.lockOrganizationId)) {
                    throw ProblemException.conflict("lock-unavailable", "The lock changed since the claim was opened; open a new one");
                }
                if (!answered(lock, claim, signature)) {
                    claim.failedAttempts++;
                    LOG.infof("orphan claim %s on lock %s: wrong proof (%d)", claim.id, lock.id, claim.failedAttempts);
                    if (claim.failedAttempts < config.orphanClaimMaxAttempts()) {
                        return Uni.createFrom().item(new Outcome(null, claim));
                    }
                    claim.status = OrphanClaimEntity.Status.BURNED;
                    claim.decidedAt = now;
                    return audit(op, claim, "claim_burned", now).replaceWith(new Outcome(null, claim));
                }
                return lifecycle.freeDoor(op, claim.doorId)
                        .flatMap(x -> lifecycle.moveTo(op, lock, claim.doorId, "RECOVERED", claim.id, "orphan_recovery", now))
                        .map(recovered -> {
                            claim.status = OrphanClaimEntity.Status.RECOVERED;
                            claim.decidedAt = now;
                            claim.newLockId = recovered.lock().id;
                            return new Outcome(recovered, claim);
                        });
            });
        });
    }

    @WithTransaction
    public Uni<OrphanClaimEntity> claim(Operator op, UUID claimId) {
        return claims.findById(claimId).map(claim -> {
            if (claim == null || !claim.organizationId.equals(op.organizationId())) {
                throw ProblemException.notFound("The claim");
            }
            return claim;
        });
    }

    public int attemptsLeft(OrphanClaimEntity claim) {
        return Math.max(0, config.orphanClaimMaxAttempts() - claim.failedAttempts);
    }

    private static boolean answered(LockEntity lock, OrphanClaimEntity claim, byte[] signature) {
        try {
            return RecoveryChallenge.verify(PublicKeys.ed25519(lock.signingKeySpki), lock.id.toString(), claim.challenge, signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The claim as an event of the lock's (current) organization, so its owner's audit trail shows it. */
    private Uni<Void> audit(Operator op, OrphanClaimEntity claim, String state, OffsetDateTime now) {
        return events.append(claim.lockOrganizationId, claim.lockId, "lock_" + state, op, now,
                envelope -> envelope.setLockTransferChanged(LockTransferChanged.newBuilder()
                        .setTransferId(claim.id.toString()).setLockId(claim.lockId.toString())
                        .setToOrganizationId(claim.organizationId.toString())
                        .setExpiresAt(LifecycleEvents.timestamp(claim.expiresAt)).setState(state)));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
