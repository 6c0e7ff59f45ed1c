package dev.portcullis.identity.password;

import dev.portcullis.identity.Workers;
import dev.portcullis.identity.secret.Tokens;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Argon2id on worker threads. {@link #verifyOrDummy} always does one full Argon2id computation, also
 * when there is no account, so a response's timing does not reveal whether a username exists.
 */
@ApplicationScoped
public class PasswordHasher {

    /** A hash of a random password nobody knows, with today's parameters: the stand-in for unknown accounts. */
    private volatile String dummyHash;

    @jakarta.inject.Inject
    HashingConfig limits;

    private volatile HashingGate gate;

    public Uni<String> hash(String password) {
        return bounded(() -> Argon2id.hash(password));
    }

    /** Verifies against {@code phc}, or against the dummy hash when {@code phc} is null (always false then). */
    public Uni<Boolean> verifyOrDummy(String password, String phc) {
        return bounded(() -> {
            if (phc == null) {
                Argon2id.verify(password, dummyHash());
                return false;
            }
            return Argon2id.verify(password, phc);
        });
    }

    /**
     * At most {@code maxConcurrent} runs at once and {@code maxWaiting} waiting (on worker threads); beyond
     * that the caller gets 503 with Retry-After at once, so memory stays bounded under any burst.
     */
    private <T> Uni<T> bounded(java.util.concurrent.Callable<T> work) {
        return Uni.createFrom().deferred(() -> {
            HashingGate current = gate();
            if (!current.admit()) {
                return Uni.createFrom().failure(dev.portcullis.kit.problem.ProblemException.unavailable(
                        "Too many sign-ins at once; try again in a moment", java.time.Duration.ofSeconds(1)));
            }
            return Workers.offload(() -> current.run(work)).eventually(current::leave);
        });
    }

    private HashingGate gate() {
        HashingGate current = gate;
        if (current == null) {
            synchronized (this) {
                if (gate == null) {
                    gate = new HashingGate(limits.maxConcurrent(), limits.maxWaiting());
                }
                current = gate;
            }
        }
        return current;
    }

    /** Computed at startup, so even the first unknown-username attempt costs exactly one Argon2id run. */
    void warmUp(@Observes StartupEvent event) {
        dummyHash();
    }

    private String dummyHash() {
        String hash = dummyHash;
        if (hash == null) {
            synchronized (this) {
                if (dummyHash == null) {
                    dummyHash = Argon2id.hash(Tokens.random256());
                }
                hash = dummyHash;
            }
        }
        return hash;
    }
}
