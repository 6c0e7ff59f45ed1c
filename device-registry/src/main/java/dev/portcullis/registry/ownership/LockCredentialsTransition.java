package dev.portcullis.registry.ownership;

import io.smallrye.mutiny.Uni;
import java.util.UUID;

/**
 * What happens to a lock's credentials when the lock changes hands or is replaced. Called inside the lifecycle
 * flow's transaction, after the lock rows changed.
 */
public interface LockCredentialsTransition {

    /** Ownership transfer: every credential of the giving organization on the lock is revoked (and confirmed by the lock). */
    Uni<Void> revokeAll(UUID organization, UUID lockId, String reason);

    /** Replacement: the credentials of the retired lock move to its successor on the same door. */
    Uni<Void> moveAll(UUID organization, UUID fromLock, UUID toLock);
}
