package dev.portcullis.testkit;

import dev.portcullis.testkit.internal.Commands;
import dev.portcullis.testkit.internal.JvmShared;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds or starts a real PostgreSQL server.
 * <ul>
 *   <li>{@link #server()}: one server per JVM for tests: {@code PG_URL} if set, else {@code 127.0.0.1:5432} if it
 *       accepts user {@code postgres} without a password, else a throwaway cluster (trust auth, 127.0.0.1, free
 *       port, under {@code /tmp/portcullis-pg-*}) that is stopped and deleted when the JVM exits.</li>
 *   <li>{@link #startCluster(Path, int)} / {@link #stopCluster(Path)}: a persistent cluster that outlives the JVM
 *       (the launcher's {@code ./portcullis up} / {@code down}).</li>
 * </ul>
 * The server binaries are taken from the newest {@code /usr/lib/postgresql/<version>/bin} (or {@code PG_BIN});
 * when there are none and this process is root, Debian's {@code postgresql} package is installed, and any cluster
 * the package creates is stopped and set to manual start so that it never holds port 5432. PostgreSQL refuses
 * to run as root, so as root the server runs as the {@code postgres} user ({@code runuser}).
 */
public final class Postgres {

    /** Environment variable (or system property {@code portcullis.pg.url}) naming a server to use. */
    public static final String PG_URL = "PG_URL";
    /** The development machines' server. */
    public static final String LOCAL_HOST = "127.0.0.1";
    public static final int LOCAL_PORT = 5432;

    private static final String SYSTEM_USER = "postgres";
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration APT_TIMEOUT = Duration.ofMinutes(15);

    private static volatile PgServer server;

    private Postgres() {
    }

    /**
     * The PostgreSQL server for this JVM (idempotent, thread-safe): {@code PG_URL}, else a server on
     * 127.0.0.1:5432 that trusts user {@code postgres}, else a throwaway cluster started now and removed at exit.
     *
     * @throws IllegalStateException when none can be found or started; the message names the failed command and
     *                               its log
     */
    public static PgServer server() {
        PgServer cached = server;
        if (cached != null) {
            return cached;
        }
        synchronized (Postgres.class) {
            if (server == null) {
                server = JvmShared.callSystemCopy(Postgres.class, "serverUrl").map(PgServer::parse)
                        .orElseGet(Postgres::findOrStart);
            }
            return server;
        }
    }

    /** {@link #server()} as a URL; how copies of this class in other class loaders share one server. */
    public static String serverUrl() {
        return server().url();
    }

    /** Whether {@code host:port} accepts a real connection as user {@code postgres} without a password. */
    public static boolean answers(String host, int port) {
        try (Connection connection = new PgServer(host, port, SYSTEM_USER, null).connect("postgres", 3)) {
            return connection.isValid(3);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Starts (initializing it first if needed) a persistent cluster in {@code dataDir} listening on
     * {@code 127.0.0.1:port} with trust authentication; it keeps running after this JVM exits. Idempotent: a
     * cluster already running from {@code dataDir} on {@code port} is simply returned. As root, the directory is
     * given to the {@code postgres} user (it and its parents must be reachable by that user, e.g.
     * {@code /var/tmp/...}). The server log is {@code dataDir/server.log}.
     */
    public static PgServer startCluster(Path dataDir, int port) {
        Path data = dataDir.toAbsolutePath().normalize();
        Path bin = binDir();
        try {
            if (!Files.exists(data.resolve("PG_VERSION"))) {
                Files.createDirectories(data);
                giveToPostgres(data);
                initdb(bin, data, data.getParent().resolve(data.getFileName() + "-initdb.log"), false);
            }
            Optional<Integer> running = runningPort(bin, data);
            if (running.isPresent() && running.get() == port && answers(LOCAL_HOST, port)) {
                return new PgServer(LOCAL_HOST, port, SYSTEM_USER, null);
            }
            if (running.isPresent()) {
                stopCluster(data);
            }
            start(bin, data, port, socketDir(data, port), data.resolve("server.log"), false);
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare PostgreSQL data directory " + data + ": " + e.getMessage(), e);
        }
        PgServer started = new PgServer(LOCAL_HOST, port, SYSTEM_USER, null);
        requireAnswers(started, data.resolve("server.log"));
        return started;
    }

    /** Stops the cluster running from {@code dataDir} ({@code pg_ctl -m fast stop}); does nothing if none runs. */
    public static void stopCluster(Path dataDir) {
        Path data = dataDir.toAbsolutePath().normalize();
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        Path bin = findBinDir().orElseThrow(() -> new IllegalStateException(
                "cannot stop the PostgreSQL cluster in " + data + ": no PostgreSQL binaries under /usr/lib/postgresql/*/bin"));
        Path log = data.getParent().resolve(data.getFileName() + "-pg_ctl.log");
        Commands.Result result = Commands.run(asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                "-m", "fast", "-w", "-t", "60", "stop")), workDir(), log, PG_CTL_TIMEOUT, Map.of());
        if (!result.ok() && Files.exists(data.resolve("postmaster.pid"))) {
            result.orThrow("could not stop PostgreSQL in " + data);
        }
    }

    /**
     * The newest PostgreSQL server binaries ({@code PG_BIN} or system property {@code portcullis.pg.bin}, else
     * {@code /usr/lib/postgresql/<newest>/bin}), installing Debian's {@code postgresql} package when there are
     * none and this process is root.
     */
    public static Path binDir() {
        return findBinDir().orElseGet(() -> {
            installBinaries();
            return findBinDir().orElseThrow(() -> new IllegalStateException(
                    "apt-get installed postgresql but no server binaries appeared under /usr/lib/postgresql/*/bin"));
        });
    }

    /** The PostgreSQL server binaries if present; never installs. */
    public static Optional<Path> findBinDir() {
        String given = System.getProperty("portcullis.pg.bin", System.getenv("PG_BIN"));
        if (given != null && !given.isBlank()) {
            Path dir = Path.of(given);
            return hasServer(dir) ? Optional.of(dir) : Optional.empty();
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(version -> version.resolve("bin")).filter(Postgres::hasServer)
                    .max(Comparator.comparing(Postgres::versionOf));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    // ------------------------------------------------------------------------------------------------------------

    private static PgServer findOrStart() {
        String given = System.getProperty("portcullis.pg.url", System.getenv(PG_URL));
        if (given != null && !given.isBlank()) {
            PgServer configured;
            try {
                configured = PgServer.parse(given);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("PG_URL is not usable: " + e.getMessage(), e);
            }
            try (Connection connection = configured.connect("postgres", 10)) {
                connection.isValid(5);
            } catch (SQLException e) {
                throw new IllegalStateException("PG_URL=" + PgServer.mask(given) + " does not answer: " + e.getMessage()
                        + " (unset PG_URL to let the test kit use 127.0.0.1:5432 or start its own cluster)", e);
            }
            return configured;
        }
        if (answers(LOCAL_HOST, LOCAL_PORT)) {
            return new PgServer(LOCAL_HOST, LOCAL_PORT, SYSTEM_USER, null);
        }
        return startThrowaway();
    }

    private static PgServer startThrowaway() {
        Path bin = binDir();
        Path dir;
        try {
            Path tmp = Files.isDirectory(Path.of("/tmp")) ? Path.of("/tmp") : Path.of(System.getProperty("java.io.tmpdir"));
            dir = Files.createTempDirectory(tmp, "portcullis-pg-");
            giveToPostgres(dir);
        } catch (IOException e) {
            throw new IllegalStateException("could not create a directory for a throwaway PostgreSQL cluster: " + e.getMessage(), e);
        }
        Path data = dir.resolve("data");
        Path log = dir.resolve("postgres.log");
        try {
            initdb(bin, data, dir.resolve("initdb.log"), true);
            int port = -1;
            for (int attempt = 1; port < 0; attempt++) {
                int candidate = freePort();
                try {
                    start(bin, data, candidate, dir, log, true);
                    port = candidate;
                } catch (IllegalStateException e) {
                    if (attempt >= 5 || !Commands.tailOf(log, 50).contains("Address already in use")) {
                        throw e;
                    }
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                Commands.run(asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "fast",
                        "-w", "-t", "30", "stop")), workDir(), dir.resolve("stop.log"), Duration.ofSeconds(40), Map.of());
                Commands.deleteTree(dir);
            }, "portcullis-postgres-stop"));
            startWatchdog(bin, data, dir);
            PgServer started = new PgServer(LOCAL_HOST, port, SYSTEM_USER, null);
            requireAnswers(started, log);
            return started;
        } catch (RuntimeException e) {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                Commands.run(asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m",
                        "immediate", "stop")), workDir(), dir.resolve("stop.log"), Duration.ofSeconds(30), Map.of());
            }
            throw new IllegalStateException("could not start a throwaway PostgreSQL cluster in " + dir + " (kept for "
                    + "inspection): " + e.getMessage(), e);
        }
    }

    /** Stops and deletes the throwaway cluster even if this JVM is killed without running its shutdown hooks. */
    private static void startWatchdog(Path bin, Path data, Path dir) {
        String stop = String.join(" ", asPostgres(List.of(quote(bin.resolve("pg_ctl").toString()), "-D",
                quote(data.toString()), "-m", "immediate", "stop")));
        String script = "while kill -0 " + ProcessHandle.current().pid() + " 2>/dev/null; do sleep 2; done; "
                + stop + " >/dev/null 2>&1; rm -rf " + quote(dir.toString());
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.addAll(List.of("/bin/bash", "-c", script));
        try {
            new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            // the shutdown hook still stops the cluster on a normal exit
        }
    }

    private static void initdb(Path bin, Path data, Path log, boolean throwaway) {
        List<String> command = new ArrayList<>(List.of(bin.resolve("initdb").toString(), "-D", data.toString(),
                "--auth=trust", "-U", SYSTEM_USER, "--encoding=UTF8", "--locale=C"));
        if (throwaway) {
            command.add("--no-sync");
        }
        Commands.run(asPostgres(command), workDir(), log, INITDB_TIMEOUT, Map.of())
                .orThrow("initdb failed for " + data + " (the directory and its parents must be reachable by user '"
                        + SYSTEM_USER + "')");
    }

    private static void start(Path bin, Path data, int port, Path socketDir, Path log, boolean throwaway) {
        StringBuilder options = new StringBuilder()
                .append("-c listen_addresses=127.0.0.1 -p ").append(port)
                .append(" -k ").append(quote(socketDir.toString()))
                .append(" -c max_connections=").append(throwaway ? 200 : 300);
        if (throwaway) {
            options.append(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        Path ctlLog = log.resolveSibling(log.getFileName() + ".pg_ctl");
        Commands.run(asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(),
                        "-w", "-t", "60", "-o", options.toString(), "start")), workDir(), ctlLog, PG_CTL_TIMEOUT, Map.of())
                .orThrow("could not start PostgreSQL on 127.0.0.1:" + port + " (server log: " + log + ")"
                        + Commands.tailOf(log, 15));
    }

    private static Optional<Integer> runningPort(Path bin, Path data) {
        Path pidFile = data.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        Commands.Result status = Commands.run(asPostgres(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(),
                "status")), workDir(), data.getParent().resolve(data.getFileName() + "-pg_ctl.log"), PG_CTL_TIMEOUT, Map.of());
        if (!status.ok()) {
            return Optional.empty();
        }
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.size() > 3 ? Optional.of(Integer.parseInt(lines.get(3).trim())) : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static void requireAnswers(PgServer started, Path log) {
        try (Connection connection = started.connect("postgres", 10)) {
            connection.isValid(5);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL started but " + started + " does not accept connections: "
                    + e.getMessage() + " (server log: " + log + ")", e);
        }
    }

    /** The unix socket directory: the data directory, unless the socket path would be too long for the OS. */
    private static Path socketDir(Path data, int port) {
        return (data + "/.s.PGSQL." + port).length() < 100 ? data : Path.of("/tmp");
    }

    // --- users and ownership -------------------------------------------------------------------------------------

    private static List<String> asPostgres(List<String> command) {
        if (!Commands.isRoot()) {
            return command;
        }
        ensureSystemUser();
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", SYSTEM_USER, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static void ensureSystemUser() {
        if (!Commands.output(List.of("id", "-u", SYSTEM_USER), Duration.ofSeconds(10)).isBlank()) {
            return;
        }
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "portcullis-useradd.log");
        Commands.run(List.of("useradd", "--system", "--user-group", "--home-dir", "/var/lib/postgresql", "--shell",
                "/bin/bash", SYSTEM_USER), workDir(), log, Duration.ofSeconds(30), Map.of())
                .orThrow("could not create the '" + SYSTEM_USER + "' system user PostgreSQL runs as");
    }

    private static void giveToPostgres(Path dir) {
        if (!Commands.isRoot()) {
            return;
        }
        ensureSystemUser();
        try {
            UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SYSTEM_USER);
            Files.setOwner(dir, owner);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new IllegalStateException("could not give " + dir + " to user '" + SYSTEM_USER + "': " + e.getMessage(), e);
        }
    }

    private static Path workDir() {
        // runuser keeps the working directory; postgres must be able to enter it (initdb calls getcwd()).
        return Path.of("/");
    }

    // --- binaries ------------------------------------------------------------------------------------------------

    private static boolean hasServer(Path bin) {
        return Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("initdb"))
                && Files.isExecutable(bin.resolve("pg_ctl"));
    }

    private static double versionOf(Path bin) {
        try {
            return Double.parseDouble(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void installBinaries() {
        if (!Commands.isRoot() || !new File("/usr/bin/apt-get").canExecute()) {
            throw new IllegalStateException("PostgreSQL server binaries were not found under /usr/lib/postgresql/*/bin "
                    + "(or PG_BIN). Install them (as root on Debian/Ubuntu: apt-get install -y postgresql), or point "
                    + "PG_URL at a running server (postgresql://user:password@host:port/postgres).");
        }
        Path lockFile = Path.of(System.getProperty("java.io.tmpdir"), "portcullis-pg-install.lock");
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            if (findBinDir().isPresent()) {
                return;
            }
            Set<String> before = clusters();
            Path log = Path.of(System.getProperty("java.io.tmpdir"), "portcullis-apt-postgresql.log");
            System.err.println("[testkit] PostgreSQL binaries missing: running apt-get install -y postgresql (log: " + log + ")");
            Map<String, String> env = Map.of("DEBIAN_FRONTEND", "noninteractive");
            List<String> install = List.of("apt-get", "-o", "DPkg::Lock::Timeout=300", "install", "-y", "-q", "postgresql");
            Commands.Result result = Commands.run(install, workDir(), log, APT_TIMEOUT, env);
            if (!result.ok()) {
                Commands.run(List.of("apt-get", "-o", "DPkg::Lock::Timeout=300", "update", "-q"), workDir(), log,
                        APT_TIMEOUT, env).orThrow("apt-get update failed");
                Commands.run(install, workDir(), log, APT_TIMEOUT, env).orThrow("could not install PostgreSQL");
            }
            disableNewClusters(before);
        } catch (IOException e) {
            throw new UncheckedIOException("could not lock " + lockFile + " to install PostgreSQL", e);
        }
    }

    /** {@code pg_lsclusters -h} lines as "version name status". */
    private static Set<String> clusters() {
        Set<String> clusters = new LinkedHashSet<>();
        for (String line : Commands.output(List.of("pg_lsclusters", "-h"), Duration.ofSeconds(30)).split("\n")) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 4) {
                clusters.add(fields[0] + " " + fields[1] + " " + fields[3]);
            }
        }
        return clusters;
    }

    /**
     * The Debian package creates (and, where services may start, starts) a cluster "main" on port 5432 with peer
     * and password authentication. It would hold the port the development setup expects to be trust-auth, so a
     * cluster that appeared with our install is stopped and set to manual start.
     */
    private static void disableNewClusters(Set<String> before) {
        Set<String> known = new LinkedHashSet<>();
        before.forEach(entry -> known.add(entry.substring(0, entry.lastIndexOf(' '))));
        for (String entry : clusters()) {
            String[] fields = entry.split(" ");
            if (known.contains(fields[0] + " " + fields[1])) {
                continue;
            }
            if (fields[2].startsWith("online")) {
                Commands.run(List.of("pg_ctlcluster", fields[0], fields[1], "stop"), workDir(),
                        Path.of(System.getProperty("java.io.tmpdir"), "portcullis-apt-postgresql.log"),
                        PG_CTL_TIMEOUT, Map.of());
            }
            try {
                Path startConf = Path.of("/etc/postgresql", fields[0], fields[1], "start.conf");
                if (Files.exists(startConf)) {
                    Files.writeString(startConf, "manual\n");
                }
            } catch (IOException ignored) {
                // best effort: it is stopped
            }
            System.err.println("[testkit] stopped the cluster " + fields[0] + "/" + fields[1]
                    + " that the postgresql package created, and set it to manual start");
        }
    }

    // --- small helpers -------------------------------------------------------------------------------------------

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(LOCAL_HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("could not find a free port", e);
        }
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
