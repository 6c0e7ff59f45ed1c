package dev.portcullis.audit.database;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/**
 * Builds the reactive pool (Hibernate Reactive and the SQL client share it) connecting as the insert-only
 * writer role, whatever user the datasource (and so Flyway) has: the running service cannot update, delete or
 * truncate audit entries, tree nodes or tree heads, nor disable the triggers that guard them.
 */
@ApplicationScoped
public class WriterPoolCreator implements PgPoolCreator {

    private static final Logger LOG = Logger.getLogger(WriterPoolCreator.class);

    @Inject
    WriterRoleConfig config;

    @Override
    @SuppressWarnings("deprecation") // PgPool is the type Quarkus 3 expects back from a PgPoolCreator
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.setUser(config.writerUsername());
            config.writerPassword().ifPresent(options::setPassword);
        }
        LOG.infof("the service connects to the audit database as %s", config.writerUsername());
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
