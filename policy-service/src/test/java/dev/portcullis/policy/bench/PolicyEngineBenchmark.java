package dev.portcullis.policy.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.portcullis.policy.engine.AccessReview;
import dev.portcullis.policy.engine.PolicyIndex;
import dev.portcullis.policy.engine.PolicySnapshot;
import dev.portcullis.policy.engine.PolicySnapshot.Grant;
import dev.portcullis.policy.engine.WhatIf;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
        lines.add("");
        lines.addAll(reviews(policy, index));
        Path out = Path.of("target", "benchmarks", "policy-engine.md");
        Files.createDirectories(out.getParent());
        Files.write(out, lines);
        lines.forEach(System.out::println);
    }

    /** Wall-clock times of the reviews over one week on the same snapshot (best of a few runs after one warm-up run; in this JVM). */
    private static List<String> reviews(SyntheticPolicy policy, PolicyIndex index) {
        Instant from = SyntheticPolicy.AT;
        Instant to = from.plus(Duration.ofDays(7));
        UUID commonDoor = policy.permitAreaGroup.doorId();
        List<Grant> fewer = new ArrayList<>(policy.snapshot.grants());
        fewer.remove(0);
        PolicySnapshot s = policy.snapshot;
        PolicyIndex after = PolicyIndex.of(new PolicySnapshot(s.organizationId(), s.version() + 1, s.properties(), s.buildings(), s.units(),
                s.doors(), s.areas(), s.tiers(), s.groups(), s.roles(), fewer, s.rateLimit()));
        int[] subjects = new int[1];
        int[] lost = new int[1];
        Map<UUID, PolicySnapshot.Group> groups = new HashMap<>(s.groups());
        PolicySnapshot.Group group = groups.get(SyntheticPolicy.id("group-0"));
        Set<String> members = new HashSet<>(group.members());
        members.add("newcomer");
        groups.put(group.id(), new PolicySnapshot.Group(group.id(), group.name(), members));
        PolicyIndex joined = PolicyIndex.of(new PolicySnapshot(s.organizationId(), s.version() + 1, s.properties(), s.buildings(), s.units(),
                s.doors(), s.areas(), s.tiers(), groups, s.roles(), s.grants(), s.rateLimit()));
        int[] gained = new int[1];
        double who = bestOf(3, () -> subjects[0] = AccessReview.whoCanOpen(index, commonDoor, from, to).orElseThrow().subjects().size());
        double what = bestOf(3, () -> AccessReview.whatCanOpen(index, policy.permitDirect.subjectId(), from, Duration.ofDays(7)));
        double revoked = bestOf(3, () -> lost[0] = WhatIf.compare(index, after, from, to).lost().size());
        double joinedGroup = bestOf(1, () -> gained[0] = WhatIf.compare(index, joined, from, to).gained().size());
        return List.of("| review over one week (1 thread, wall clock) | ms |", "|---|---|",
                String.format(Locale.ROOT, "| who can open a common door (%d subjects) | %.1f |", subjects[0], who),
                String.format(Locale.ROOT, "| what can one subject open | %.1f |", what),
                String.format(Locale.ROOT, "| what-if: one direct grant revoked (%d pair lost) | %.0f |", lost[0], revoked),
                String.format(Locale.ROOT, "| what-if: one subject joins a group with 38 area grants (%d pairs gained) | %.0f |", gained[0],
                        joinedGroup));
    }

    private static double bestOf(int runs, Runnable review) {
        review.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            review.run();
            best = Math.min(best, (System.nanoTime() - start) / 1e6);
        }
        return best;
    }

    private static String percentile(SampleTimeResult sample, double p) {
        return sample == null ? "-" : String.format(Locale.ROOT, "%.2f", sample.getStatistics().getPercentile(p));
    }
}
