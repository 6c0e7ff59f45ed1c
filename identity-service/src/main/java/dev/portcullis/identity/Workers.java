package dev.portcullis.identity;

import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.Callable;

/**
 * Runs CPU-heavy work (Argon2id) on a worker thread and resumes on the caller's Vert.x context, so
 * the event loop never blocks and Hibernate Reactive sessions stay on their own context.
 */
public final class Workers {

    private Workers() {
    }

    public static <T> Uni<T> offload(Callable<T> work) {
        return Uni.createFrom().deferred(() -> {
            Context context = Vertx.currentContext();
            if (context == null) {
                throw new IllegalStateException("Workers.offload needs a Vert.x context");
            }
            return Uni.createFrom().completionStage(() -> context.executeBlocking(work, false).toCompletionStage());
        });
    }
}
