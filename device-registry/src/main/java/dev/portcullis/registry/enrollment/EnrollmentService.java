package dev.portcullis.registry.enrollment;

import com.google.protobuf.Timestamp;
import dev.portcullis.kit.outbox.Outbox;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.events.v1.EventEnvelope;
import dev.portcullis.proto.events.v1.LockEnrolled;
import dev.portcullis.registry.lock.LockEntity;
import dev.portcullis.registry.lock.LockKeys;
import dev.portcullis.registry.lock.LockRepository;
import dev.portcullis.registry.lock.LockStatus;
import dev.portcullis.registry.lock.RevokedLockKeys;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * One-time enrollment: a lock proves itself with its enrollment secret and registers its keys. The
 * secret is consumed, the keys stored and the {@code LockEnrolled} event written in one transaction.
 * A refusal is an empty result, not an exception, so that the failed-attempt count it records commits.
 */
@ApplicationScoped
public class EnrollmentService {

    public static final String TOPIC = "portcullis.registry.v1";
    public static final String SOURCE = "device-registry";
    private static final Logger LOG = Logger.getLogger(EnrollmentService.class);

    @Inject
    LockRepository locks;

    @Inject
    EnrollmentSecretRepository secrets;

    @Inject
    RevokedLockKeys revokedKeys;

    @Inject
    Outbox outbox;

    @Inject
    EnrollmentConfig config;

    @Inject
    Clock clock;

    /**
     * @param presentedHash SHA-256 of the secret the lock presented
     * @return the enrolled lock, or empty when enrollment is refused (for whatever reason: the caller
     *         must not be able to tell unknown locks, wrong, used, burned or expired secrets apart)
     */
    @WithTransaction
    public Uni<Optional<Enrolled>> enroll(UUID lockId, byte[] presentedHash, LockKeys keys, String firmwareVersion) {
        OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
        return locks.findForUpdate(lockId).flatMap(lock -> {
            if (lock == null) {
                return refused(lockId, "unknown lock");
            }
            return secrets.findForUpdate(lockId).flatMap(secret -> {
                if (secret == null) {
                    return refused(lockId, "no enrollment secret issued");
                }
                if (isRepeat(lock, secret, presentedHash, keys, now)) {
                    LOG.infof("lock %s repeated its enrollment with the same secret and keys; answering as before", lockId);
                    return Uni.createFrom().item(Optional.of(new Enrolled(lock.id, lock.keyEpoch, lock.signingKeyId, lock.agreementKeyId)));
                }
                String unusable = secret.unusableReason(now);
                if (unusable != null) {
                    return refused(lockId, unusable);
                }
                if (!EnrollmentSecrets.matches(secret.secretHash, presentedHash)) {
                    boolean burned = secret.recordFailure(now, config.maxFailedAttempts());
                    return refused(lockId, burned
                            ? "wrong secret; the secret is burned after " + secret.failedAttempts + " failed attempts"
                            : "wrong secret (" + secret.failedAttempts + " failed attempts)");
                }
                if (lock.status != LockStatus.PENDING_ENROLLMENT) {
                    return refused(lockId, "lock is " + lock.status);
                }
                return revokedKeys.anyRevoked(keys).flatMap(revoked -> revoked
                        ? refused(lockId, "it presented a revoked key (keys of a retired or reset lock never enroll again)")
                        : complete(lock, secret, keys, firmwareVersion, now));
            });
        });
    }

    private Uni<Optional<Enrolled>> complete(LockEntity lock, EnrollmentSecretEntity secret, LockKeys keys, String firmwareVersion,
            OffsetDateTime now) {
        secret.usedAt = now;
        lock.enroll(keys, firmwareVersion, now);
        lock.adminSubjectId = secret.issuedBy;
        UUID eventId = UUID.randomUUID();
        return outbox.append(TOPIC, lock.id.toString(), eventId, "lock_enrolled", lockEnrolled(eventId, lock, now))
                .map(ignored -> {
                    LOG.infof("lock %s enrolled (key epoch %d, signing key %s)", lock.id, lock.keyEpoch, lock.signingKeyId);
                    return Optional.of(new Enrolled(lock.id, lock.keyEpoch, lock.signingKeyId, lock.agreementKeyId));
                });
    }

    /** The lock this secret enrolled, asking again with the same keys shortly after (its answer was lost). */
    private boolean isRepeat(LockEntity lock, EnrollmentSecretEntity secret, byte[] presentedHash, LockKeys keys, OffsetDateTime now) {
        return secret.usedAt != null && secret.burnedAt == null && now.isBefore(secret.usedAt.plus(config.repeatWindow()))
                && lock.enrolledWith(keys) && EnrollmentSecrets.matches(secret.secretHash, presentedHash);
    }

    private static Uni<Optional<Enrolled>> refused(UUID lockId, String why) {
        LOG.infof("enrollment refused for lock %s: %s", lockId, why);
        return Uni.createFrom().item(Optional.empty());
    }

    private static EventEnvelope lockEnrolled(UUID eventId, LockEntity lock, OffsetDateTime at) {
        Instant instant = at.toInstant();
        return EventEnvelope.newBuilder()
                .setEventId(eventId.toString())
                .setOrganizationId(lock.organizationId.toString())
                .setOccurredAt(Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()))
                .setActor(Actor.newBuilder()
                        .setType(ActorType.ACTOR_TYPE_LOCK)
                        .setId(lock.id.toString())
                        .setOrganizationId(lock.organizationId.toString()))
                .setSource(SOURCE)
                .setLockEnrolled(LockEnrolled.newBuilder()
                        .setLockId(lock.id.toString())
                        .setDoorId(lock.doorId.toString())
                        .setSigningKeyId(lock.signingKeyId)
                        .setAgreementKeyId(lock.agreementKeyId)
                        .setKeyEpoch(lock.keyEpoch)
                        .setAdminSubjectId(lock.adminSubjectId == null ? "" : lock.adminSubjectId))
                .build();
    }
}
