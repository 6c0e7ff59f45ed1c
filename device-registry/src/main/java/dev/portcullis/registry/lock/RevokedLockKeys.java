package dev.portcullis.registry.lock;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/** Keys revoked with their lock: recorded when a lock leaves service or is reset, refused at enrollment. */
@ApplicationScoped
public class RevokedLockKeys implements PanacheRepositoryBase<RevokedLockKeyEntity, String> {

    /**
     * Records the lock's current keys as revoked (before the lock row forgets them). Returns the revoked key ids,
     * none when the lock has not enrolled.
     */
    @WithSession
    public Uni<List<String>> revoke(LockEntity lock, String reason, OffsetDateTime at) {
        List<RevokedLockKeyEntity> keys = new ArrayList<>();
        if (lock.signingKeySpki != null) {
            keys.add(key(lock, lock.signingKeyId, "Ed25519", lock.signingKeySpki, reason, at));
        }
        if (lock.agreementKeySpki != null) {
            keys.add(key(lock, lock.agreementKeyId, "X25519", lock.agreementKeySpki, reason, at));
        }
        if (keys.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return persist(keys.stream()).map(ignored -> keys.stream().map(key -> key.keyId).toList());
    }

    /** True when either key was revoked (for any lock). */
    @WithSession
    public Uni<Boolean> anyRevoked(LockKeys keys) {
        return count("keyId in ?1", List.of(keys.signingKeyId(), keys.agreementKeyId())).map(count -> count > 0);
    }

    private static RevokedLockKeyEntity key(LockEntity lock, String keyId, String algorithm, byte[] spki, String reason, OffsetDateTime at) {
        RevokedLockKeyEntity key = new RevokedLockKeyEntity();
        key.keyId = keyId;
        key.lockId = lock.id;
        key.organizationId = lock.organizationId;
        key.algorithm = algorithm;
        key.spki = spki;
        key.keyEpoch = lock.keyEpoch;
        key.reason = reason;
        key.revokedAt = at;
        return key;
    }
}
