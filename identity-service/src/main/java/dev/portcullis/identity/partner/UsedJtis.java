package dev.portcullis.identity.partner;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Single-use JWT ids (client assertions, DPoP proofs). {@link #firstUse} inserts the id atomically: of
 * any number of concurrent uses exactly one sees {@code true}. Rows are kept until the JWT could not be
 * accepted any more, then purged.
 */
@ApplicationScoped
public class UsedJtis {

    private static final Logger LOG = Logger.getLogger(UsedJtis.class);

    public static final String CLIENT_ASSERTION = "client_assertion";
    public static final String DPOP_PROOF = "dpop_proof";

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    /** True when this is the first use of {@code jti} by {@code issuer} (a client id or key thumbprint). */
    public Uni<Boolean> firstUse(String kind, String issuer, String jti, Instant expiresAt) {
        return pool.preparedQuery("INSERT INTO used_jti (kind, issuer, jti, expires_at) VALUES ($1, $2, $3, $4) "
                        + "ON CONFLICT (kind, issuer, jti) DO NOTHING")
                .execute(Tuple.of(kind, issuer, jti, expiresAt.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() == 1);
    }

    @Scheduled(every = "5m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return pool.preparedQuery("DELETE FROM used_jti WHERE expires_at < $1")
                .execute(Tuple.of(clock.instant().atOffset(ZoneOffset.UTC)))
                .onFailure().invoke(failure -> LOG.warnf("could not purge used JWT ids: %s", failure.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
