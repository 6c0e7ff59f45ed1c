package dev.portcullis.command.routing;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;
import java.util.UUID;

/** The lock_route table: which replica holds a lock's gateway stream. */
@ApplicationScoped
public class LockRoutes {

    /** Where a lock's stream is held. */
    public record Route(String replicaId, String address, String sessionId) {
    }

    // An older stream (e.g. an announcement delayed on a replica the lock has left) never overwrites a newer one.
    private static final String CONNECTED = "insert into lock_route (lock_id, replica_id, replica_address, session_id, connected_at) "
            + "values (:lock, :replica, :address, :session, :at) on conflict (lock_id) do update set "
            + "replica_id = excluded.replica_id, replica_address = excluded.replica_address, session_id = excluded.session_id, "
            + "connected_at = excluded.connected_at where lock_route.connected_at <= excluded.connected_at";

    @Inject
    Replica replica;

    /** Call inside the transaction that announces the lock online. */
    public Uni<Void> connected(UUID lockId, String sessionId, OffsetDateTime at) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(CONNECTED)
                .setParameter("lock", lockId)
                .setParameter("replica", replica.id())
                .setParameter("address", replica.address())
                .setParameter("session", sessionId)
                .setParameter("at", at)
                .executeUpdate()).replaceWithVoid();
    }

    /** Call inside the transaction that announces the lock offline; only this stream's own row goes. */
    public Uni<Void> disconnected(UUID lockId, String sessionId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "delete from lock_route where lock_id = :lock and session_id = :session")
                .setParameter("lock", lockId)
                .setParameter("session", sessionId)
                .executeUpdate()).replaceWithVoid();
    }

    /** Where the lock's stream is held, or null when no replica holds it. */
    @WithSession
    public Uni<Route> find(UUID lockId) {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(
                        "select replica_id, replica_address, session_id from lock_route where lock_id = :lock", Object[].class)
                .setParameter("lock", lockId)
                .getResultList())
                .map(rows -> rows.isEmpty() ? null : route(rows.get(0)));
    }

    private static Route route(Object[] row) {
        return new Route((String) row[0], (String) row[1], (String) row[2]);
    }

}
