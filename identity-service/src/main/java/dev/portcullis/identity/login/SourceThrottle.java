package dev.portcullis.identity.login;

import dev.portcullis.identity.IdentityConfig;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.OffsetDateTime;

/**
 * Per-source throttling (password spraying across many accounts from one address). Failures from a
 * source are counted within a window; the failure that reaches the threshold throttles the source for
 * one full window, during which its attempts are answered like wrong passwords without being judged or
 * counted. A success does not reset a source (an attacker with one valid account could otherwise).
 * State lives in PostgreSQL, so every replica sees the same counts. Runs in the caller's transaction.
 */
@ApplicationScoped
public class SourceThrottle {

    @Inject
    IdentityConfig config;

    public Uni<Boolean> throttled(String source, OffsetDateTime now) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("select count(*) from login_source where source = ?1 and failures >= ?2 and window_ends_at > ?3",
                        Long.class)
                .setParameter(1, source)
                .setParameter(2, config.throttle().sourceThreshold())
                .setParameter(3, now)
                .getSingleResult())
                .map(count -> count > 0);
    }

    /** Counts a failure from a source that is not throttled (atomic against parallel attempts). */
    public Uni<Void> recordFailure(String source, OffsetDateTime now) {
        OffsetDateTime windowEnd = now.plus(config.throttle().sourceWindow());
        return Panache.getSession().flatMap(session -> session.createNativeQuery("""
                insert into login_source (source, failures, window_ends_at) values (?1, 1, ?2)
                on conflict (source) do update set
                  failures = case when login_source.window_ends_at <= ?3 then 1 else login_source.failures + 1 end,
                  window_ends_at = case
                    when login_source.window_ends_at <= ?3 then ?2
                    when login_source.failures + 1 >= ?4 then ?2
                    else login_source.window_ends_at end
                """)
                .setParameter(1, source)
                .setParameter(2, windowEnd)
                .setParameter(3, now)
                .setParameter(4, config.throttle().sourceThreshold())
                .executeUpdate())
                .replaceWithVoid();
    }

    /** Forgets windows that have ended. */
    public Uni<Integer> purgeExpired(OffsetDateTime now) {
        return Panache.getSession().flatMap(session -> session
                .createNativeQuery("delete from login_source where window_ends_at <= ?1")
                .setParameter(1, now)
                .executeUpdate());
    }
}
