package dev.portcullis.command.unlock;

import dev.portcullis.command.CommandConfig;
import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the unlocks in progress on this replica ({@code portcullis.command.admission.max-in-progress}).
 * An unlock takes a place when its work is subscribed and gives it back when that work ends however it
 * ends (answer, failure, cancellation: a client that went away). Past the bound the request is refused at
 * once with 503 problem+json and Retry-After, so that an overload is shed at the door instead of queueing
 * work whose clients have given up, and the unlocks admitted keep their normal latency.
 */
@ApplicationScoped
public class UnlockAdmission {

    private final AtomicInteger inProgress = new AtomicInteger();

    @Inject
    CommandConfig config;

    /** Runs {@code work} in a place, or fails with 503 if none is free. */
    public <T> Uni<T> admit(Supplier<Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            CommandConfig.Admission admission = config.admission();
            if (inProgress.incrementAndGet() > admission.maxInProgress()) {
                inProgress.decrementAndGet();
                return Uni.createFrom().failure(overloaded(admission));
            }
            AtomicBoolean released = new AtomicBoolean();
            Runnable release = () -> {
                if (released.compareAndSet(false, true)) {
                    inProgress.decrementAndGet();
                }
            };
            try {
                return work.get().onTermination().invoke(release);
            } catch (RuntimeException e) {
                release.run();
                return Uni.createFrom().failure(e);
            }
        });
    }

    /** Unlocks in progress now. */
    public int inProgress() {
        return inProgress.get();
    }

    private static ProblemException overloaded(CommandConfig.Admission admission) {
        long seconds = Math.max(1, (admission.retryAfter().toMillis() + 999) / 1000);
        return new ProblemException(503, "overloaded", "Too many unlocks in progress",
                "This replica has " + admission.maxInProgress() + " unlocks in progress; try again in " + seconds + " s")
                .header("Retry-After", String.valueOf(seconds));
    }
}
