package dev.portcullis.load;

import dev.portcullis.launcher.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The soak: mixed load at modest rates on a mesh of its own (port base 30280) for N minutes — unlocks,
 * reads of an attempt, sign-ins' first factor and partner tokens, each open loop at its own rate — while
 * every 30 s each process's heap after a full collection, resident set and open file descriptors, and
 * PostgreSQL's connections per database of the mesh, are sampled. Flat or not is judged per series by
 * comparing the mean of the last third of the samples with that of the first third.
 */
final class Soak {

    static final int PORT_BASE = 30280;
    static final Duration INTERVAL = Duration.ofSeconds(30);
    static final int UNLOCKS_PER_SECOND = 5;
    static final int READS_PER_SECOND = 5;
    static final int SIGN_INS_PER_SECOND = 1;
    static final int PARTNER_TOKENS_PER_SECOND = 2;

    /** Growth tolerated between the first and the last third before a series is called not flat. */
    static final double RELATIVE_SLACK = 0.10;

    private Soak() {
    }

    /** One sampling round: minutes since the load started, each process, and connections per database. */
    record Round(double minutes, List<Resources.Sample> processes, Map<String, Integer> connections) {

        int totalConnections() {
            return connections.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    static String run(Path root, int minutes) throws Exception {
        List<String> notes = new ArrayList<>();
        try (LoadMesh mesh = LoadMesh.up(root, PORT_BASE, "soak", new Properties(), notes)) {
            Supplier<String> token = mesh.freshTenantToken(notes);
            mesh.raisePolicyRateLimit(notes);
            List<String> doors = List.of(mesh.demo.door("Front entrance").id(), mesh.demo.door("Unit 4B").id());
            String attempt = mesh.unlockOnce(doors.get(0), token.get());
            Operations operations = new Operations();
            Duration length = Duration.ofMinutes(minutes);
            Map<String, Supplier<CompletableFuture<String>>> load = new LinkedHashMap<>();
            load.put("unlock @ " + UNLOCKS_PER_SECOND + "/s", operations.unlock(mesh.layout.commandUrl(), doors, token));
            load.put("read attempt @ " + READS_PER_SECOND + "/s", operations.readAttempt(mesh.layout.commandUrl(), attempt, token));
            load.put("sign-in first factor @ " + SIGN_INS_PER_SECOND + "/s",
                    operations.passwordStep(mesh.layout.issuer(), mesh.demo.tenant().username(), mesh.demo.tenant().password()));
            load.put("partner token @ " + PARTNER_TOKENS_PER_SECOND + "/s", operations.partnerToken(mesh.layout.issuer(), mesh.partner));
            int[] rates = {UNLOCKS_PER_SECOND, READS_PER_SECOND, SIGN_INS_PER_SECOND, PARTNER_TOKENS_PER_SECOND};

            ExecutorService drivers = Executors.newFixedThreadPool(load.size());
            List<CompletableFuture<OpenLoop.Result>> running = new ArrayList<>();
            Instant start = Instant.now();
            int i = 0;
            for (Map.Entry<String, Supplier<CompletableFuture<String>>> entry : load.entrySet()) {
                int rate = rates[i++];
                running.add(CompletableFuture.supplyAsync(() -> OpenLoop.run(entry.getKey(), rate, length, 500, entry.getValue()), drivers));
            }
            List<Round> rounds = new ArrayList<>();
            Instant next = start;
            while (!CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).isDone()) {
                if (!Instant.now().isBefore(next)) {
                    Round round = sample(mesh, Duration.between(start, Instant.now()).toMillis() / 60_000.0);
                    rounds.add(round);
                    System.out.println(line(round));
                    next = next.plus(INTERVAL);
                }
                TimeUnit.MILLISECONDS.sleep(200);
            }
            rounds.add(sample(mesh, Duration.between(start, Instant.now()).toMillis() / 60_000.0));
            drivers.shutdown();
            List<OpenLoop.Result> results = running.stream().map(CompletableFuture::join).toList();
            notes.add(String.format(Locale.ROOT, "soak: %d minutes of mixed load at once (unlocks %d/s over two doors, reads %d/s, sign-in "
                    + "first factors %d/s, partner tokens %d/s); sampled every %d s: heap after a full GC (jcmd GC.run + GC.heap_info), "
                    + "VmRSS, /proc/PID/fd entries, pg_stat_activity per database", minutes, UNLOCKS_PER_SECOND, READS_PER_SECOND,
                    SIGN_INS_PER_SECOND, PARTNER_TOKENS_PER_SECOND, INTERVAL.toSeconds()));
            return Report.soak(mesh.layout.commandUrl().toString(), results, rounds, notes);
        }
    }

    private static Round sample(LoadMesh mesh, double minutes) {
        List<Resources.Sample> samples = new ArrayList<>();
        for (ServiceProcess process : mesh.processes()) {
            samples.add(Resources.sample(process, true));
        }
        Map<String, Integer> connections = new LinkedHashMap<>();
        Resources.connections(mesh.postgres, mesh.layout.databasePrefix())
                .forEach((database, count) -> connections.put(database.replace(mesh.layout.databasePrefix() + "_", ""), count));
        return new Round(minutes, samples, connections);
    }

    private static String line(Round round) {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "[soak %.1f min]", round.minutes()));
        for (Resources.Sample sample : round.processes()) {
            out.append(String.format(Locale.ROOT, " %s %s/%s MiB %d fd (%d sockets);", sample.process(), mib(sample.heapUsedBytes()),
                    mib(sample.rssBytes()), sample.fds(), sample.sockets()));
        }
        return out.append(" pg ").append(round.connections()).toString();
    }

    static String mib(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.0f", bytes / 1048576.0);
    }

    /** Flat: the last third's mean is at most the first third's mean plus 10 % plus {@code absoluteSlack}. */
    record Trend(String series, double firstThird, double lastThird, boolean flat) {
    }

    static Trend trend(String series, List<Double> values, double absoluteSlack) {
        int third = Math.max(1, values.size() / 3);
        double first = values.subList(0, third).stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double last = values.subList(values.size() - third, values.size()).stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return new Trend(series, first, last, last <= first * (1 + RELATIVE_SLACK) + absoluteSlack);
    }

    static List<Trend> trends(List<Round> rounds) {
        List<Trend> trends = new ArrayList<>();
        if (rounds.isEmpty()) {
            return trends;
        }
        for (int p = 0; p < rounds.get(0).processes().size(); p++) {
            int index = p;
            String name = rounds.get(0).processes().get(p).process();
            trends.add(trend(name + " heap after GC (MiB)", rounds.stream()
                    .map(round -> round.processes().get(index).heapUsedBytes() / 1048576.0).toList(), 8));
            trends.add(trend(name + " RSS (MiB)", rounds.stream()
                    .map(round -> round.processes().get(index).rssBytes() / 1048576.0).toList(), 16));
            trends.add(trend(name + " open fds", rounds.stream()
                    .map(round -> (double) round.processes().get(index).fds()).toList(), 5));
            trends.add(trend(name + " of them sockets", rounds.stream()
                    .map(round -> (double) round.processes().get(index).sockets()).toList(), 5));
        }
        trends.add(trend("PostgreSQL connections (all the mesh's databases)", rounds.stream()
                .map(round -> (double) round.totalConnections()).toList(), 2));
        return trends;
    }
}
