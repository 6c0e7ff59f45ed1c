package dev.portcullis.registry.ownership;

import io.quarkus.arc.DefaultBean;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/** Replaced by credential lifecycle: until then, lifecycle flows change no credential. */
@DefaultBean
@ApplicationScoped
public class NoCredentialsTransition implements LockCredentialsTransition {

    @Override
    public Uni<Void> revokeAll(UUID organization, UUID lockId, String reason) {
        return Uni.createFrom().voidItem();
    }

    @Override
    public Uni<Void> moveAll(UUID organization, UUID fromLock, UUID toLock) {
        return Uni.createFrom().voidItem();
    }
}
