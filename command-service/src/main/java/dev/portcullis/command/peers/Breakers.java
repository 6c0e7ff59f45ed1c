package dev.portcullis.command.peers;

import io.grpc.Status;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;

/**
 * Circuit breakers in front of the peers an unlock needs (policy, registry). When most recent calls
 * failed or timed out, the breaker opens and calls fail at once for a while instead of each waiting out
 * its deadline: unlocks are refused fast (fail closed), nothing piles up, and reads keep being served.
 * After the delay a few trial calls decide whether it closes again. Thresholds are configurable
 * ({@code quarkus.fault-tolerance."dev.portcullis.command.peers.Breakers/policy".circuit-breaker.*}).
 */
@ApplicationScoped
public class Breakers {

    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2, skipOn = PeerAnswer.class)
    @CircuitBreakerName("policy")
    public <T> Uni<T> policy(Supplier<Uni<T>> call, Duration deadline) {
        return guarded(call, deadline);
    }

    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 5000, successThreshold = 2, skipOn = PeerAnswer.class)
    @CircuitBreakerName("registry")
    public <T> Uni<T> registry(Supplier<Uni<T>> call, Duration deadline) {
        return guarded(call, deadline);
    }

    private static <T> Uni<T> guarded(Supplier<Uni<T>> call, Duration deadline) {
        return call.get().ifNoItem().after(deadline).fail()
                .onFailure(Breakers::isAnswer).transform(PeerAnswer::new);
    }

    /**
     * The peer answered, with a refusal about this request (unknown door, no enrolled lock, bad input):
     * it is up, so this never counts towards opening the breaker (else anyone could open it with
     * requests for doors that do not exist). {@code Status.fromThrowable} still finds the peer's status.
     */
    public static final class PeerAnswer extends RuntimeException {
        PeerAnswer(Throwable answer) {
            super(answer.getMessage(), answer, false, false);
        }
    }

    private static boolean isAnswer(Throwable failure) {
        return switch (Status.fromThrowable(failure).getCode()) {
            case NOT_FOUND, FAILED_PRECONDITION, INVALID_ARGUMENT, PERMISSION_DENIED, ALREADY_EXISTS -> true;
            default -> false;
        };
    }
}
