package dev.portcullis.identity.password;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Bounds on Argon2id work. Each run holds 19 MiB for about its duration; unbounded, a burst of sign-in
 * attempts (which anyone can send) would exhaust the heap. Beyond the bound, sign-ins are answered
 * 503 with Retry-After at once, never queued without limit.
 */
@ConfigMapping(prefix = "portcullis.identity.hashing")
public interface HashingConfig {

    /** Argon2id runs at the same time (each holds 19 MiB). */
    @WithDefault("4")
    int maxConcurrent();

    /** Runs waiting for a slot; one more is refused with 503. */
    @WithDefault("16")
    int maxWaiting();
}
