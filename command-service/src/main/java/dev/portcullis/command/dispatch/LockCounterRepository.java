package dev.portcullis.command.dispatch;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * The platform's command counter per lock. Allocation is one atomic upsert, so concurrent requests
 * (on any replica) never get the same counter. Each key epoch has its own count starting at 1, so the
 * AES-GCM nonce (epoch, counter) under a lock's key is never reused, even when a stale look-up names an
 * older epoch again.
 */
@ApplicationScoped
public class LockCounterRepository {

    private static final String NEXT = "insert into lock_counter (lock_id, key_epoch, counter) values (:lock, :epoch, 1) "
            + "on conflict (lock_id, key_epoch) do update set counter = lock_counter.counter + 1 "
            + "returning counter";

    @WithSession
    public Uni<Long> next(UUID lockId, int keyEpoch) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(NEXT, Long.class)
                .setParameter("lock", lockId)
                .setParameter("epoch", keyEpoch)
                .getSingleResult());
    }
}
