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

    public Uni<String> hash(String password) {
        return Workers.offload(() -> Argon2id.hash(password));
    }

    /** Verifies against {@code phc}, or against the dummy hash when {@code phc} is null (always false then). */
    public Uni<Boolean> verifyOrDummy(String password, String phc) {
        return Workers.offload(() -> {
            if (phc == null) {
                Argon2id.verify(password, dummyHash());
                return false;
            }
            return Argon2id.verify(password, phc);
        });
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
