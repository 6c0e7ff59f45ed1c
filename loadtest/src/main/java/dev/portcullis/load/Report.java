package dev.portcullis.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/** The results of a run as a table: to stdout, and as markdown under loadtest/target/. */
final class Report {

    private Report() {
    }

    static String markdown(Scenario scenario, String target, List<OpenLoop.Result> results, List<String> notes) {
        StringBuilder out = new StringBuilder();
        out.append("# Load run: ").append(scenario.name()).append("\n\n");
        out.append("- when: ").append(Instant.now()).append('\n');
        out.append("- target: ").append(target).append('\n');
        out.append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(System.getProperty("java.version")).append(", ").append(System.getProperty("os.name")).append('\n');
        out.append("- open loop, constant rate; latency from the intended send time (coordinated-omission aware); ")
                .append("percentiles over successful operations\n");
        notes.forEach(note -> out.append("- ").append(note).append('\n'));
        out.append('\n');
        out.append("| phase | offered/s | sent | ok | completed/s | p50 ms | p95 ms | p99 ms | max ms | errors by kind |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (OpenLoop.Result result : results) {
            Histogram h = result.latencyMicros();
            String errors = result.errors().isEmpty() ? "none" : result.errors().entrySet().stream()
                    .map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining(", "));
            out.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.1f | %s | %s | %s | %s | %s |%n", result.label(),
                    result.offeredPerSecond(), result.sent(), result.ok(), result.completedPerSecond(),
                    ms(h, 50), ms(h, 95), ms(h, 99), h.getTotalCount() == 0 ? "-" : format(h.getMaxValue()), errors));
        }
        return out.toString();
    }

    static Path write(Path root, Scenario scenario, String markdown) throws IOException {
        Path dir = root.resolve("loadtest/target/load-reports");
        Files.createDirectories(dir);
        Path file = dir.resolve(scenario.name() + ".md");
        Files.writeString(file, markdown);
        return file;
    }

    private static String ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? "-" : format(h.getValueAtPercentile(percentile));
    }

    private static String format(long micros) {
        return String.format(Locale.ROOT, "%.1f", micros / 1000.0);
    }
}
