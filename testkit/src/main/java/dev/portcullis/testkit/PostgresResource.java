package dev.portcullis.testkit;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A fresh PostgreSQL database for a {@code @QuarkusTest}, on {@link Postgres#server()}.
 * <pre>{@code
 * @QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "policy"))
 * }</pre>
 * Init args: {@code prefix} (database name prefix, default {@code test}); {@code keep} ({@code true} keeps the
 * database after the tests instead of dropping it). Returns {@code quarkus.datasource.username},
 * {@code .password}, {@code .jdbc.url} (Flyway) and {@code .reactive.url} (Hibernate Reactive).
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private String prefix = "test";
    private boolean keep;
    private PgServer server;
    private Database database;

    @Override
    public void init(Map<String, String> initArgs) {
        String given = initArgs.get("prefix");
        if (given != null && !given.isBlank()) {
            prefix = given;
        }
        keep = Boolean.parseBoolean(initArgs.getOrDefault("keep", "false"));
    }

    @Override
    public Map<String, String> start() {
        server = Postgres.server();
        database = server.createDatabase(prefix);
        return database.quarkusConfig();
    }

    @Override
    public void stop() {
        if (database != null && !keep) {
            try {
                server.dropDatabase(database.name());
            } catch (RuntimeException e) {
                System.err.println("[testkit] could not drop test database " + database.name() + ": " + e.getMessage());
            }
        }
        database = null;
    }

    /** The database of the latest {@link #start()} (for tests that need JDBC access to it). */
    public Database database() {
        return database;
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(database, new TestInjector.AnnotatedAndMatchesType(InjectDatabase.class, Database.class));
    }
}
