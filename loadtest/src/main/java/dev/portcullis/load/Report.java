package dev.portcullis.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The results of a run as tables: to stdout, and as markdown under loadtest/target/load-reports/. */
final class Report {

    private Report() {
    }

    static String markdown(Scenario scenario, String target, List<OpenLoop.Result> results, List<String> notes) {
        return header("Load run: " + scenario.name(), target, notes) + table(results);
    }

    static String header(String title, String target, List<String> notes) {
        StringBuilder out = new StringBuilder();
        out.append("# ").append(title).append("\n\n");
        out.append("- when: ").append(Instant.now()).append('\n');
        out.append("- target: ").append(target).append('\n');
        out.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name"))
                .append(", load average at the end ").append(loadAverage()).append('\n');
        out.append("- open loop, constant rate; latency from the intended send time (coordinated-omission aware); ")
                .append("percentiles over successful operations; refused = answered 429/503 (shed or limited), with their own p99\n");
        notes.forEach(note -> out.append("- ").append(note).append('\n'));
        out.append('\n');
        return out.toString();
    }

    static String table(List<OpenLoop.Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| phase | offered/s | sent | ok | completed/s | p50 ms | p95 ms | p99 ms | max ms | refused (p99 ms) | errors by kind |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (OpenLoop.Result result : results) {
            Histogram h = result.latencyMicros();
            String errors = result.errors().isEmpty() ? "none" : result.errors().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
            String refused = result.refused() == 0 ? "0" : result.refused() + " (" + ms(result.refusalMicros(), 99) + ")";
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %s | %s | %s | %s | %s | %s |%n", result.label(),
                    result.offeredPerSecond(), result.sent(), result.ok(), result.completedPerSecond(),
                    ms(h, 50), ms(h, 95), ms(h, 99), h.getTotalCount() == 0 ? "-" : format(h.getMaxValue()), refused, errors));
        }
        return out.toString();
    }

    static String soak(String target, List<OpenLoop.Result> results, List<Soak.Round> rounds, List<String> notes) {
        StringBuilder out = new StringBuilder(header("Soak", target, notes));
        out.append(table(results)).append('\n');
        out.append("Every process, each sample: heap MiB after a full GC / RSS MiB / open fds (of them sockets); PostgreSQL connections "
                + "per database.\n\n");
        if (!rounds.isEmpty()) {
            out.append("| minute |");
            rounds.get(0).processes().forEach(sample -> out.append(' ').append(sample.process()).append(" |"));
            out.append(" PostgreSQL connections |\n|---|");
            rounds.get(0).processes().forEach(sample -> out.append("---|"));
            out.append("---|\n");
            for (Soak.Round round : rounds) {
                out.append(String.format(Locale.ROOT, "| %.1f |", round.minutes()));
                round.processes().forEach(sample -> out.append(String.format(Locale.ROOT, " %s / %s / %d (%d) |",
                        Soak.mib(sample.heapUsedBytes()), Soak.mib(sample.rssBytes()), sample.fds(), sample.sockets())));
                out.append(' ').append(round.totalConnections()).append(' ').append(round.connections()).append(" |\n");
            }
        }
        out.append("\n| series | mean, first third | mean, last third | flat |\n|---|---|---|---|\n");
        for (Soak.Trend trend : Soak.trends(rounds)) {
            out.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", trend.series(), trend.firstThird(), trend.lastThird(),
                    trend.flat() ? "yes" : "**no**"));
        }
        return out.toString();
    }

    static Path write(Path root, String name, String markdown) throws IOException {
        Path dir = root.resolve("loadtest/target/load-reports");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + ".md");
        Files.writeString(file, markdown);
        return file;
    }

    static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : format(h.getValueAtPercentile(percentile));
    }

    private static String format(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0] + " (1 min)";
        } catch (IOException unknown) {
            return "unknown";
        }
    }
}
