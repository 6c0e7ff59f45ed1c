package dev.portcullis.registry.admin;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The admin API's SQL on the reactive PostgreSQL pool (nothing blocks the event loop). Every statement
 * names the organization; constraint violations become problems ({@link Checks#translate}).
 */
@ApplicationScoped
public class Db {

    @Inject
    Pool pool;

    public <T> Uni<List<T>> list(String sql, Function<Row, T> mapper, Object... args) {
        return list(pool, sql, mapper, args);
    }

    public <T> Uni<T> one(String sql, Function<Row, T> mapper, Object... args) {
        return one(pool, sql, mapper, args);
    }

    public <T> Uni<T> inTransaction(Function<SqlClient, Uni<T>> work) {
        return pool.withTransaction(connection -> work.apply(connection)).onFailure().transform(Checks::translate);
    }

    public static <T> Uni<List<T>> list(SqlClient client, String sql, Function<Row, T> mapper, Object... args) {
        return client.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> {
            List<T> result = new ArrayList<>();
            rows.forEach(row -> result.add(mapper.apply(row)));
            return result;
        }).onFailure().transform(Checks::translate);
    }

    /** The first row mapped, or null when there is none. */
    public static <T> Uni<T> one(SqlClient client, String sql, Function<Row, T> mapper, Object... args) {
        return list(client, sql, mapper, args).map(rows -> rows.isEmpty() ? null : rows.get(0));
    }

    public static Uni<Integer> exec(SqlClient client, String sql, Object... args) {
        return client.preparedQuery(sql).execute(Tuple.from(args)).map(rows -> rows.rowCount())
                .onFailure().transform(Checks::translate);
    }

    /**
     * PostgreSQL picked the transaction as a deadlock or serialization victim: it rolled back whole, so the same
     * work may simply be tried again.
     */
    public static boolean transientConflict(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof PgException pg && ("40P01".equals(pg.getSqlState()) || "40001".equals(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    /** The work, tried again (a few times, with back-off) while it fails as a {@link #transientConflict}. */
    public static <T> Uni<T> retryingConflicts(Uni<T> work) {
        return work.onFailure(Db::transientConflict).retry().withBackOff(Duration.ofMillis(50), Duration.ofMillis(500)).atMost(5);
    }
}
