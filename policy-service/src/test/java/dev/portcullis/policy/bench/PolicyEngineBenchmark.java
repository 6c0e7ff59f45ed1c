package dev.portcullis.policy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.portcullis.policy.engine.PolicyIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.SampleTimeResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Benchmark (not a test: excluded from {@code ./mvnw verify}; run with
 * {@code ./mvnw -pl policy-service verify -Pbenchmark -Dtest=PolicyEngineBenchmark}). Runs the JMH benchmarks of
 * {@link EngineDecisions} (one forked JVM) and writes their numbers to
 * {@code policy-service/target/benchmarks/policy-engine.md}; {@code docs/benchmarks.md} quotes them.
 */
@Tag("benchmark")
class PolicyEngineBenchmark {

    static final int FORKS = Integer.getInteger("bench.forks", 1);

    @Test
    void decisions() throws Exception {
        List<String> lines = new ArrayList<>();
        SyntheticPolicy policy = new SyntheticPolicy();
        long start = System.nanoTime();
        PolicyIndex index = PolicyIndex.of(policy.snapshot);
        double indexMs = (System.nanoTime() - start) / 1e6;
        assertEquals(100_000, index.snapshot().grants().size());
        lines.add(String.format(Locale.ROOT, "Snapshot: %d grants, %d doors, %d groups, %d role assignments (%d subjects); "
                + "PolicyIndex.of took %.0f ms (one cold run).", policy.snapshot.grants().size(), policy.snapshot.doors().size(),
                policy.snapshot.groups().size(), policy.snapshot.roles().size(), SyntheticPolicy.SUBJECTS, indexMs));
        lines.add(String.format(Locale.ROOT, "Candidate grants per scenario: direct %d, area+group %d, no grant %d, step-up %d.",
                index.candidates(policy.permitDirect.subjectId(), policy.permitDirect.doorId()).size(),
                index.candidates(policy.permitAreaGroup.subjectId(), policy.permitAreaGroup.doorId()).size(),
                index.candidates(policy.denyNoGrant.subjectId(), policy.denyNoGrant.doorId()).size(),
                index.candidates(policy.stepUp.subjectId(), policy.stepUp.doorId()).size()));
        lines.add("");

        Options options = new OptionsBuilder().include(EngineDecisions.class.getName() + "\\.").forks(FORKS)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2)).measurementIterations(5).measurementTime(TimeValue.seconds(2))
                .threads(1).shouldFailOnError(true).build();
        Collection<RunResult> results = new Runner(options).run();
        assertFalse(results.isEmpty());

        lines.add("| scenario (PolicyEngine.decideSafely, 1 thread, fork " + FORKS + ") | average µs/op | ± (99.9%) | p50 µs | p99 µs | p99.9 µs |");
        lines.add("|---|---|---|---|---|---|");
        List<String> scenarios = results.stream().map(r -> r.getParams().getBenchmark()).distinct().sorted().toList();
        for (String scenario : scenarios) {
            Result<?> average = null;
            SampleTimeResult sample = null;
            for (RunResult result : results) {
                if (!result.getParams().getBenchmark().equals(scenario)) {
                    continue;
                }
                switch (result.getParams().getMode()) {
                    case AverageTime -> average = result.getPrimaryResult();
                    case SampleTime -> sample = (SampleTimeResult) result.getPrimaryResult();
                    default -> { }
                }
            }
            String name = scenario.substring(scenario.lastIndexOf('.') + 1);
            lines.add(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %s | %s | %s |", name, average == null ? Double.NaN : average.getScore(),
                    average == null ? Double.NaN : average.getScoreError(), percentile(sample, 50), percentile(sample, 99), percentile(sample, 99.9)));
        }
        Path out = Path.of("target", "benchmarks", "policy-engine.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        lines.forEach(System.out::println);
    }

    private static String percentile(SampleTimeResult sample, double p) {
        return sample == null ? "-" : String.format(Locale.ROOT, "%.2f", sample.getStatistics().getPercentile(p));
    }
}
