package dev.portcullis.testkit;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * One PostgreSQL database on a {@link PgServer}.
 *
 * @param name        the database name
 * @param jdbcUrl     {@code jdbc:postgresql://host:port/name} (Flyway, JDBC)
 * @param reactiveUrl {@code postgresql://host:port/name}, the form {@code quarkus.datasource.reactive.url} takes
 * @param user        the user to connect as
 * @param password    its password, {@code null} when the server trusts local connections
 */
public record Database(String name, String jdbcUrl, String reactiveUrl, String user, String password) {

    /** Opens a JDBC connection to this database (the caller closes it). */
    public Connection connect() throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "10");
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl, properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + jdbcUrl);
        }
        return connection;
    }

    /**
     * The Quarkus datasource configuration for this database: {@code quarkus.datasource.username},
     * {@code .password} (empty when none), {@code .jdbc.url} and {@code .reactive.url}.
     */
    public Map<String, String> quarkusConfig() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.username", user);
        config.put("quarkus.datasource.password", password == null ? "" : password);
        config.put("quarkus.datasource.jdbc.url", jdbcUrl);
        config.put("quarkus.datasource.reactive.url", reactiveUrl);
        return config;
    }

    @Override
    public String toString() {
        return "Database[" + name + " at " + jdbcUrl + " as " + user + (password == null ? "" : " with a password") + "]";
    }
}
