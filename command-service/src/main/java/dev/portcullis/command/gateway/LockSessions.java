package dev.portcullis.command.gateway;

import dev.portcullis.command.CommandConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The locks connected to this instance, by lock id. A new stream from the same lock replaces the old one. */
@ApplicationScoped
public class LockSessions {

    private final Map<String, LockSession> byLock = new ConcurrentHashMap<>();

    @Inject
    CommandConfig config;

    @Inject
    LockPresence presence;

    public Optional<LockSession> find(String lockId) {
        return Optional.ofNullable(byLock.get(lockId));
    }

    public int size() {
        return byLock.size();
    }

    void register(LockSession session) {
        LockSession previous = byLock.put(session.lock().lockId(), session);
        if (previous != null && previous != session) {
            previous.end("replaced by a newer stream from the same lock");
        }
        presence.online(session);
    }

    /** Ends streams that have been silent longer than the idle timeout (a lock heartbeats well within it). */
    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void endIdleStreams() {
        Instant cutoff = Instant.now().minus(config.gateway().idleTimeout());
        byLock.values().stream().filter(session -> session.lastSeen().isBefore(cutoff)).forEach(session -> {
            if (byLock.remove(session.lock().lockId(), session)) {
                presence.offline(session);
            }
            session.end("no message within " + config.gateway().idleTimeout().toSeconds() + " s");
        });
    }

    void unregister(LockSession session, Throwable cause) {
        // A stream replaced by a newer one from the same lock is not an offline lock.
        if (byLock.remove(session.lock().lockId(), session)) {
            presence.offline(session);
        }
        session.close(cause);
    }
}
