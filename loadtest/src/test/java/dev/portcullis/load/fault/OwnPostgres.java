package dev.portcullis.load.fault;

import dev.portcullis.testkit.PgServer;
import dev.portcullis.testkit.Postgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL cluster of a fault scenario's own (never the shared development server), on loopback, that the
 * scenario may stop with {@code pg_ctl -m immediate} (a crash: no shutdown checkpoint, clients cut off) and
 * start again. As root it runs as the {@code postgres} user, its directory under /tmp reachable by that user.
 */
final class OwnPostgres implements AutoCloseable {

    private final Path dir;
    private final Path data;
    private final int port;

    private OwnPostgres(Path dir, int port) {
        this.dir = dir;
        this.data = dir.resolve("data");
        this.port = port;
    }

    static OwnPostgres start(int port) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "portcullis-fault-pg-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        OwnPostgres cluster = new OwnPostgres(dir, port);
        cluster.startAgain();
        return cluster;
    }

    PgServer server() {
        return new PgServer(Postgres.LOCAL_HOST, port, "postgres", null);
    }

    /** Starts the cluster (initializing it on first use) and waits until it accepts connections. */
    PgServer startAgain() {
        return Postgres.startCluster(data, port);
    }

    /** {@code pg_ctl -m immediate stop}: every backend is killed at once, recovery replays the WAL at the next start. */
    void stopImmediately() {
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            command.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        command.addAll(List.of(Postgres.binDir().resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "-w", "-t", "30", "stop"));
        try {
            Process pgCtl = new ProcessBuilder(command).directory(Path.of("/").toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stop.log").toFile()).start();
            if (!pgCtl.waitFor(40, TimeUnit.SECONDS) || pgCtl.exitValue() != 0) {
                throw new IllegalStateException("pg_ctl -m immediate stop failed: " + Files.readString(dir.resolve("stop.log")));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws IOException {
        Postgres.stopCluster(data);
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
