package dev.portcullis.testkit;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * A reachable PostgreSQL server and the (super)user to administer it with. Obtain one from
 * {@link Postgres#server()} (tests) or {@link Postgres#startCluster(java.nio.file.Path, int)} (the launcher).
 *
 * @param host     host name or address, e.g. {@code 127.0.0.1}
 * @param port     TCP port
 * @param user     a user allowed to create databases, e.g. {@code postgres}
 * @param password its password, {@code null} when the server trusts local connections
 */
public record PgServer(String host, int port, String user, String password) {

    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final SecureRandom RANDOM = new SecureRandom();

    public PgServer {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL host is missing");
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("PostgreSQL port out of range: " + port);
        }
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL user is missing");
        }
        if (password != null && password.isEmpty()) {
            password = null;
        }
    }

    /**
     * Parses {@code postgresql://user:pass@host:port/db} (also {@code postgres://}; user, password, port and
     * database optional) or {@code jdbc:postgresql://host:port/db?user=..&password=..}. The user defaults to
     * {@code postgres}, the port to 5432; the database part is ignored (administration uses {@code postgres}).
     */
    public static PgServer parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("empty PostgreSQL URL");
        }
        String text = url.trim();
        if (text.startsWith("jdbc:")) {
            text = text.substring("jdbc:".length());
        }
        URI uri;
        try {
            uri = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a PostgreSQL URL (expected postgresql://user:pass@host:port/db or "
                    + "jdbc:postgresql://host:port/db?user=..&password=..): " + mask(url), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("postgresql") && !scheme.equals("postgres")) {
            throw new IllegalArgumentException("not a PostgreSQL URL (expected postgresql://user:pass@host:port/db or "
                    + "jdbc:postgresql://host:port/db?user=..&password=..): " + mask(url));
        }
        String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("PostgreSQL URL has no host: " + mask(url));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : 5432;
        String user = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (key.equals("user")) {
                    user = value;
                } else if (key.equals("password")) {
                    password = value;
                }
            }
        }
        return new PgServer(host, port, user == null || user.isEmpty() ? "postgres" : user, password);
    }

    /** This server as {@code postgresql://user[:password]@host:port/postgres} (the form {@code PG_URL} takes). */
    public String url() {
        return "postgresql://" + encode(user) + (password == null ? "" : ":" + encode(password)) + "@" + hostForUrl()
                + ":" + port + "/postgres";
    }

    /** {@code jdbc:postgresql://host:port/database}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + hostForUrl() + ":" + port + "/" + database;
    }

    /** {@code postgresql://host:port/database}, the form {@code quarkus.datasource.reactive.url} takes. */
    public String reactiveUrl(String database) {
        return "postgresql://" + hostForUrl() + ":" + port + "/" + database;
    }

    /** The {@link Database} record for {@code name} on this server (does not create it). */
    public Database database(String name) {
        return new Database(name, jdbcUrl(name), reactiveUrl(name), user, password);
    }

    /**
     * Creates a fresh, empty database named {@code <prefix>_<8 random hex digits>} (lower case; characters other
     * than letters, digits and {@code _} become {@code _}).
     */
    public Database createDatabase(String prefix) {
        String base = sanitize(prefix == null || prefix.isBlank() ? "test" : prefix);
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String name = base + "_" + HexFormat.of().formatHex(random);
        try (Connection connection = connect()) {
            create(connection, name, false);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on " + this + ": " + e.getMessage(), e);
        }
        return database(name);
    }

    /** Creates the database {@code exactName} unless it exists, and returns it. */
    public Database createDatabaseIfMissing(String exactName) {
        String name = requireName(exactName);
        try (Connection connection = connect()) {
            if (!exists(connection, name)) {
                create(connection, name, true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + " on " + this + ": " + e.getMessage(), e);
        }
        return database(name);
    }

    /** Whether database {@code name} exists. */
    public boolean databaseExists(String name) {
        try (Connection connection = connect()) {
            return exists(connection, requireName(name));
        } catch (SQLException e) {
            throw new IllegalStateException("could not list databases on " + this + ": " + e.getMessage(), e);
        }
    }

    /** Drops database {@code name} if it exists, disconnecting its sessions first. */
    public void dropDatabase(String name) {
        String checked = requireName(name);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS \"" + checked + "\" WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop database " + checked + " on " + this + ": " + e.getMessage(), e);
        }
    }

    /** A JDBC connection to this server's {@code postgres} database (the caller closes it). */
    public Connection connect() throws SQLException {
        return connect("postgres", 10);
    }

    Connection connect(String database, int timeoutSeconds) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
        properties.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
        properties.setProperty("socketTimeout", "60");
        properties.setProperty("ApplicationName", "portcullis-testkit");
        Connection connection = new org.postgresql.Driver().connect(jdbcUrl(database), properties);
        if (connection == null) {
            throw new SQLException("the PostgreSQL driver does not accept " + jdbcUrl(database));
        }
        return connection;
    }

    /** The Quarkus datasource configuration keys for {@code database}; see {@link Database#quarkusConfig()}. */
    public Map<String, String> quarkusConfig(String database) {
        return new LinkedHashMap<>(database(database).quarkusConfig());
    }

    @Override
    public String toString() {
        return "PgServer[" + user + "@" + hostForUrl() + ":" + port + (password == null ? "" : " with a password") + "]";
    }

    private String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static void create(Connection connection, String name, boolean tolerateExisting) throws SQLException {
        // CREATE DATABASE copies template1 and fails while another session is copying it ("source database is
        // being accessed by other users", 55006): several test JVMs may create databases at the same moment.
        for (int attempt = 1; ; attempt++) {
            try (Statement statement = connection.createStatement()) {
                statement.execute("CREATE DATABASE \"" + name + "\"");
                return;
            } catch (SQLException e) {
                if (tolerateExisting && "42P04".equals(e.getSQLState())) {
                    return;
                }
                if (!"55006".equals(e.getSQLState()) || attempt >= 20) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static String sanitize(String prefix) {
        String lower = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        if (!Character.isLetter(lower.charAt(0)) && lower.charAt(0) != '_') {
            lower = "d" + lower;
        }
        return lower.length() > 54 ? lower.substring(0, 54) : lower;
    }

    private static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case database name ([a-z_][a-z0-9_]{0,62}): " + name);
        }
        return name;
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String mask(String url) {
        return url == null ? null : url.replaceAll("(://[^:/@]*:)[^@]*@", "$1****@").replaceAll("(password=)[^&]*", "$1****");
    }
}
