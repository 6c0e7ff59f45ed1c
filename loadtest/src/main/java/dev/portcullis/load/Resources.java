package dev.portcullis.load;

import dev.portcullis.launcher.ServiceProcess;
import dev.portcullis.testkit.PgServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a mesh process holds, read from outside it: heap used (from {@code jcmd <pid> GC.heap_info}, the
 * generations' "used", optionally right after a full collection requested with {@code jcmd <pid> GC.run}),
 * resident set size ({@code VmRSS} of /proc/PID/status), open file descriptors (entries of /proc/PID/fd, and
 * how many of them are sockets),
 * and PostgreSQL connections per database of the mesh (pg_stat_activity).
 */
public final class Resources {

    /** A generation's line of GC.heap_info, e.g. " def new generation   total 19648K, used 1234K [...": not Metaspace (no "total"). */
    private static final Pattern GENERATION_USED = Pattern.compile("(?m)^\\s*[A-Za-z][\\w -]*?\\s+total\\s+\\d+K,\\s+used\\s+(\\d+)K");
    private static final Pattern VM_RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");

    private Resources() {
    }

    /** One process at one moment; -1 where it could not be read. */
    public record Sample(String process, long heapUsedBytes, long rssBytes, int fds, int sockets) {
    }

    /**
     * One process now. With {@code collectFirst} a full collection runs first, so the heap figure is what is
     * live (both commands go to one jcmd, which is itself a short-lived JVM: about 0.3 s of CPU per sample).
     */
    public static Sample sample(ServiceProcess process, boolean collectFirst) {
        long pid = process.pid();
        String heapInfo = jcmd(pid, collectFirst ? List.of("GC.run", "GC.heap_info") : List.of("GC.heap_info"));
        return new Sample(process.name(), heapUsed(heapInfo), rss(pid), fds(pid), sockets(pid));
    }

    /** Sum of the generations' "used" in a GC.heap_info answer (Serial: def new + tenured), -1 if none. */
    static long heapUsed(String heapInfo) {
        Matcher matcher = GENERATION_USED.matcher(heapInfo);
        long kib = 0;
        boolean any = false;
        while (matcher.find()) {
            kib += Long.parseLong(matcher.group(1));
            any = true;
        }
        return any ? kib * 1024 : -1;
    }

    static long rss(long pid) {
        try {
            Matcher matcher = VM_RSS.matcher(Files.readString(Path.of("/proc/" + pid + "/status")));
            return matcher.find() ? Long.parseLong(matcher.group(1)) * 1024 : -1;
        } catch (IOException gone) {
            return -1;
        }
    }

    static int fds(long pid) {
        try (Stream<Path> entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) entries.count();
        } catch (IOException gone) {
            return -1;
        }
    }

    /** The open file descriptors that are sockets (their /proc/PID/fd link reads "socket:[inode]"). */
    static int sockets(long pid) {
        try (Stream<Path> entries = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return (int) entries.filter(entry -> {
                try {
                    return Files.readSymbolicLink(entry).toString().startsWith("socket:");
                } catch (IOException closedMeanwhile) {
                    return false;
                }
            }).count();
        } catch (IOException gone) {
            return -1;
        }
    }

    /** Connections per database whose name starts with {@code prefix}. */
    static Map<String, Integer> connections(PgServer postgres, String prefix) {
        Map<String, Integer> counts = new TreeMap<>();
        try (Connection connection = postgres.connect();
                PreparedStatement query = connection.prepareStatement(
                        "select datname, count(*) from pg_stat_activity where datname like ? group by datname")) {
            query.setString(1, prefix + "%");
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getInt(2));
                }
            }
        } catch (SQLException e) {
            counts.put("error: " + e.getMessage(), -1);
        }
        return counts;
    }

    private static String jcmd(long pid, List<String> commands) {
        Path file = null;
        try {
            file = Files.createTempFile("portcullis-jcmd-", ".txt");
            Files.write(file, commands);
            Process jcmd = new ProcessBuilder(List.of("jcmd", "-J-XX:TieredStopAtLevel=1", "-J-Xshare:auto", String.valueOf(pid),
                    "-f", file.toString())).redirectErrorStream(true).start();
            byte[] out = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(30, TimeUnit.SECONDS)) {
                jcmd.destroyForcibly();
                return "";
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // a temporary file of a few bytes
                }
            }
        }
    }
}
