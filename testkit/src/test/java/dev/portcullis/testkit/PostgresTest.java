package dev.portcullis.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresTest {

    @Test
    void serverAnswersAndIsOnePerJvm() throws Exception {
        PgServer server = Postgres.server();
        assertSame(server, Postgres.server());
        assertTrue(Postgres.answers(server.host(), server.port()) || server.password() != null,
                "a trust-auth server answers as postgres: " + server);
        try (Connection connection = server.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT current_setting('server_version_num')::int")) {
            assertTrue(rows.next());
            assertTrue(rows.getInt(1) >= 130000, "PostgreSQL 13 or newer");
        }
    }

    @Test
    void createDatabaseGivesAFreshDatabaseToCreateTablesIn() throws Exception {
        PgServer server = Postgres.server();
        Database database = server.createDatabase("Unit-Test");
        try {
            assertTrue(database.name().matches("unit_test_[0-9a-f]{8}"), database.name());
            assertEquals("jdbc:postgresql://" + server.host() + ":" + server.port() + "/" + database.name(), database.jdbcUrl());
            assertEquals("postgresql://" + server.host() + ":" + server.port() + "/" + database.name(), database.reactiveUrl());
            assertEquals(server.user(), database.user());
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE door (id uuid PRIMARY KEY, name text NOT NULL)");
                statement.execute("INSERT INTO door VALUES (gen_random_uuid(), 'front')");
                try (ResultSet rows = statement.executeQuery("SELECT name FROM door")) {
                    assertTrue(rows.next());
                    assertEquals("front", rows.getString(1));
                }
            }
            Map<String, String> config = database.quarkusConfig();
            assertEquals(database.jdbcUrl(), config.get("quarkus.datasource.jdbc.url"));
            assertEquals(database.reactiveUrl(), config.get("quarkus.datasource.reactive.url"));
            assertEquals(database.user(), config.get("quarkus.datasource.username"));
            assertTrue(config.containsKey("quarkus.datasource.password"));
            assertFalse(server.createDatabase("unit_test").name().equals(database.name()), "names are random");
        } finally {
            server.dropDatabase(database.name());
        }
        assertFalse(server.databaseExists(database.name()));
    }

    @Test
    void createDatabaseIfMissingIsIdempotent() {
        PgServer server = Postgres.server();
        String name = "testkit_fixed_" + Long.toHexString(System.nanoTime());
        try {
            Database first = server.createDatabaseIfMissing(name);
            Database second = server.createDatabaseIfMissing(name);
            assertEquals(first, second);
            assertTrue(server.databaseExists(name));
        } finally {
            server.dropDatabase(name);
        }
        assertThrows(IllegalArgumentException.class, () -> server.createDatabaseIfMissing("Robert'); DROP TABLE students;--"));
    }

    @Test
    void persistentClusterStartsIdempotentlyAndStops() throws Exception {
        Path parent = Files.createTempDirectory(Path.of("/tmp"), "testkit-cluster-");
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path dataDir = parent.resolve("pg");
        int port = KafkaServerTest.freePort();
        try {
            PgServer server = Postgres.startCluster(dataDir, port);
            assertEquals(new PgServer("127.0.0.1", port, "postgres", null), server);
            assertTrue(Postgres.answers("127.0.0.1", port));
            assertEquals(server, Postgres.startCluster(dataDir, port), "second start reuses the running cluster");
            assertEquals("reused", server.createDatabaseIfMissing("reused").name());
            Postgres.stopCluster(dataDir);
            assertFalse(Postgres.answers("127.0.0.1", port));
            Postgres.stopCluster(dataDir); // no-op
            Postgres.startCluster(dataDir, port);
            assertTrue(server.databaseExists("reused"), "data survives a restart");
        } finally {
            Postgres.stopCluster(dataDir);
            dev.portcullis.testkit.internal.Commands.deleteTree(parent);
        }
    }

    @Test
    void parsesBothUrlForms() {
        assertEquals(new PgServer("db.example", 6543, "app", "s3cr:t@"),
                PgServer.parse("postgresql://app:s3cr%3At%40@db.example:6543/portcullis"));
        assertEquals(new PgServer("127.0.0.1", 5432, "postgres", null), PgServer.parse("postgresql://postgres@127.0.0.1:5432/postgres"));
        assertEquals(new PgServer("127.0.0.1", 5432, "postgres", null), PgServer.parse("postgres://127.0.0.1"));
        assertEquals(new PgServer("localhost", 5433, "svc", "pw&1"),
                PgServer.parse("jdbc:postgresql://localhost:5433/x?user=svc&password=pw%261&sslmode=disable"));
        assertNull(PgServer.parse("jdbc:postgresql://localhost/x?user=svc").password());
        PgServer server = PgServer.parse("postgresql://app:p%40ss@db:6543/x");
        assertEquals(server, PgServer.parse(server.url()));
        assertFalse(server.toString().contains("p@ss"), "toString hides the password");
        assertThrows(IllegalArgumentException.class, () -> PgServer.parse("mysql://localhost/x"));
    }
}
