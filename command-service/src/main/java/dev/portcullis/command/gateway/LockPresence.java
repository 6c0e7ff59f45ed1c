package dev.portcullis.command.gateway;

import dev.portcullis.command.events.UnlockEvents;
import dev.portcullis.command.routing.LockRoutes;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.VertxContext;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Announces when a lock connects to or leaves this instance's gateway (LockPresenceChanged on the lock
 * topic), so policy can refuse unlocks of a lock known to be offline, and records in the same
 * transaction which replica holds the lock's stream (lock_route), so other replicas can relay to it. Written through the outbox on a
 * context of its own: a presence change happens on stream callbacks and on the idle sweep alike. A lock
 * that moves to another instance is announced offline here and online there; consumers keep the newest
 * by {@code occurred_at}.
 */
@ApplicationScoped
public class LockPresence {

    private static final Logger LOG = Logger.getLogger(LockPresence.class);

    @Inject
    UnlockEvents events;

    @Inject
    Vertx vertx;

    @Inject
    LockRoutes routes;

    /**
     * The stream's online announcement; its offline one is written only after it (a stream that ends at
     * once must not be announced offline before online), and each carries the instant it happened.
     */
    void online(LockSession session) {
        session.presenceAnnounced(announce(session, true, session.connectedAt()));
    }

    void offline(LockSession session) {
        Instant at = Instant.now();
        session.presenceAnnounced().whenComplete((ignored, failure) -> announce(session, false, at));
    }

    private CompletableFuture<Void> announce(LockSession session, boolean online, Instant at) {
        String lockId = session.lock().lockId();
        CompletableFuture<Void> written = new CompletableFuture<>();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Panache
                .withTransaction(() -> events.emitPresence(session.organizationId(), lockId, session.doorId(), online, at)
                        .call(() -> online
                                ? routes.connected(UUID.fromString(lockId), session.id(), session.connectedAt().atOffset(ZoneOffset.UTC))
                                : routes.disconnected(UUID.fromString(lockId), session.id())))
                .subscribe().with(done -> written.complete(null), failure -> {
                    LOG.warnf("presence of lock %s (%s) not recorded: %s", lockId, online ? "online" : "offline", failure.toString());
                    written.complete(null);
                }));
        return written;
    }
}
