package dev.portcullis.policy.bench;

import dev.portcullis.policy.engine.Decision;
import dev.portcullis.policy.engine.DecisionRequest;
import dev.portcullis.policy.engine.DeviceState;
import dev.portcullis.policy.engine.PolicyEngine;
import dev.portcullis.policy.engine.PolicyIndex;
import dev.portcullis.policy.engine.Usage;
import dev.portcullis.proto.policy.v1.Reason;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmarks of one in-process decision ({@link PolicyEngine#decideSafely}) with the 100,000 grants of
 * {@link SyntheticPolicy} indexed. Launched by {@link PolicyEngineBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineDecisions {

    PolicyIndex index;
    SyntheticPolicy policy;

    @Setup
    public void load() {
        policy = new SyntheticPolicy();
        index = PolicyIndex.of(policy.snapshot);
        check(policy.permitDirect, List.of(Reason.REASON_GRANT_MATCHED));
        check(policy.permitAreaGroup, List.of(Reason.REASON_GRANT_MATCHED));
        check(policy.denyNoGrant, List.of(Reason.REASON_NO_GRANT));
        check(policy.stepUp, List.of(Reason.REASON_GRANT_MATCHED, Reason.REASON_STEP_UP_REQUIRED));
    }

    private void check(DecisionRequest request, List<Reason> expected) {
        Decision decision = decide(request);
        if (!decision.reasons().equals(expected)) {
            throw new IllegalStateException("the scenario decides " + decision.reasons() + ", not " + expected + ": " + decision.explanation());
        }
    }

    private Decision decide(DecisionRequest request) {
        return PolicyEngine.decideSafely(index, request, DeviceState.UNKNOWN, Usage.NONE);
    }

    @Benchmark
    public Decision permitViaDirectGrant() {
        return decide(policy.permitDirect);
    }

    @Benchmark
    public Decision permitViaAreaAndGroupGrant() {
        return decide(policy.permitAreaGroup);
    }

    @Benchmark
    public Decision denyNoGrant() {
        return decide(policy.denyNoGrant);
    }

    @Benchmark
    public Decision stepUpDoor() {
        return decide(policy.stepUp);
    }
}
