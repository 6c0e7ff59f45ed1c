package dev.portcullis.command.unlock;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.portcullis.command.CommandConfig;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.common.v1.ActorType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Admission of unlock requests: per person, per door and per partner, each a token bucket (a burst of
 * the per-minute limit, refilled evenly). A request takes a token from every bucket it falls in, or from
 * none (a refused request costs the other buckets nothing). Buckets live in memory on each replica and
 * are forgotten after two idle minutes; with N replicas behind a balancer the effective limit is up to
 * N times the configured one (policy's per-subject rate limit is the rule that decides; this one keeps
 * floods off the database, policy and the locks).
 */
@ApplicationScoped
public class UnlockLimits {

    private static final Logger LOG = Logger.getLogger(UnlockLimits.class);

    private final Cache<String, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(2))
            .maximumSize(1_000_000)
            .build();

    @Inject
    CommandConfig config;

    /** Takes the request's tokens or refuses it with 429 problem+json and Retry-After. */
    public void admit(Requester requester, UUID doorId) {
        CommandConfig.Limits limits = config.limits();
        Bucket who = requester.type() == ActorType.ACTOR_TYPE_PARTNER
                ? bucket("partner:" + requester.clientId(), limits.perPartnerPerMinute())
                : bucket("user:" + requester.organizationId() + "/" + requester.subject(), limits.perUserPerMinute());
        Bucket door = bucket("door:" + requester.organizationId() + "/" + doorId, limits.perDoorPerMinute());
        long now = System.nanoTime();
        long whoWait = who.tryTake(now);
        if (whoWait > 0) {
            throw limited(requester.type() == ActorType.ACTOR_TYPE_PARTNER ? "partner" : "user", whoWait);
        }
        long doorWait = door.tryTake(now);
        if (doorWait > 0) {
            who.giveBack();
            throw limited("door", doorWait);
        }
    }

    private Bucket bucket(String key, int perMinute) {
        return buckets.get(key, ignored -> new Bucket(perMinute));
    }

    private static ProblemException limited(String scope, long waitNanos) {
        LOG.infof("unlock refused: %s rate limit", scope);
        Duration retryAfter = Duration.ofNanos(waitNanos);
        return new ProblemException(429, "rate-limited", "Too many unlock requests",
                "Too many unlock requests for this " + scope + "; try again later")
                .with("limit", scope)
                .header("Retry-After", String.valueOf(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
    }

    /** A token bucket: {@code capacity} tokens, refilled at capacity per minute. */
    static final class Bucket {
        private static final double NANOS_PER_MINUTE = 60e9;

        private final double capacity;
        private double tokens;
        private long refilledAt;

        Bucket(int perMinute) {
            this.capacity = Math.max(1, perMinute);
            this.tokens = capacity;
            this.refilledAt = System.nanoTime();
        }

        /** Takes one token: 0 when taken, else how many nanoseconds until one is there. */
        synchronized long tryTake(long now) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * capacity / NANOS_PER_MINUTE);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * NANOS_PER_MINUTE / capacity);
        }

        synchronized void giveBack() {
            tokens = Math.min(capacity, tokens + 1);
        }
    }
}
