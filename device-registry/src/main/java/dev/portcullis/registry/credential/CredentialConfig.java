package dev.portcullis.registry.credential;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Credential secrets and their delivery to locks (docs/registry.md, "Credentials"). */
@ConfigMapping(prefix = "portcullis.credentials")
public interface CredentialConfig {

    /**
     * 32 random bytes, base64: the key PIN and card secrets are sealed with (and their per-lock lookup is
     * keyed with). Never in the database; a Kubernetes Secret in production
     * (PORTCULLIS_CREDENTIALS_KEY). Required.
     */
    String key();

    /** Names the key in every sealed secret, so a rotated key can be told apart. */
    @WithDefault("k1")
    String keyId();

    /** Digits of a PIN the registry generates when none is given. */
    @WithDefault("6")
    int pinLength();

    /** How often pending credential changes are retried (besides when a lock comes online). */
    @WithDefault("15s")
    Duration syncInterval();

    /** The longest wait between retries for one credential (backoff doubles up to this). */
    @WithDefault("PT10M")
    Duration maxRetryDelay();

    /** How long one replica holds a lock's sync lease (it is released when done). */
    @WithDefault("PT2M")
    Duration syncLease();

    /** The longest validity of a guest code a tenant gives (docs/registry.md, "Guest codes"). */
    @WithDefault("P7D")
    Duration guestCodeMaxValidity();
}
