package dev.portcullis.simulator;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The simulator's configuration ({@code simulator.*}). The local launcher passes the registry URL, the
 * gateway address, the data directory and one {@code locks[i]} entry per demo door.
 */
@ConfigMapping(prefix = "simulator")
public interface SimulatorConfig {

    /** Base URL of device-registry's REST API (enrollment). */
    @WithDefault("http://localhost:8084")
    String registryUrl();

    /** Where each lock keeps its keys, counter and enrollment ({@code <data-dir>/<lock id>/}, owner-only). */
    @WithDefault("${user.home}/.portcullis-simulator")
    Path dataDir();

    /** Firmware version the locks report at enrollment and in their gateway hello. */
    @WithDefault("simulator-0.1.0")
    String firmwareVersion();

    Gateway gateway();

    Enrollment enrollment();

    Actuator actuator();

    Verifier verifier();

    /** The virtual locks; none by default. */
    Optional<List<Lock>> locks();

    interface Lock {
        /** The lock id as device-registry knows it (its canonical form: what the registry answers with). */
        String id();

        /** The one-time enrollment secret; only needed until the lock has enrolled. Never logged. */
        Optional<String> enrollmentSecret();
    }

    /** command-service's lock gateway (gRPC, plaintext). */
    interface Gateway {
        @WithDefault("localhost")
        String host();

        @WithDefault("8083")
        int port();

        /** How often a connected lock sends a heartbeat (the gateway drops streams idle for 45 s). */
        @WithDefault("15s")
        Duration heartbeatInterval();

        /** The challenge handshake must complete within this time, or the stream is abandoned and retried. */
        @WithDefault("15s")
        Duration handshakeTimeout();

        Backoff reconnect();
    }

    interface Enrollment {
        /** Timeout of one enrollment request. */
        @WithDefault("10s")
        Duration requestTimeout();

        Backoff retry();
    }

    /** Capped exponential backoff with jitter. */
    interface Backoff {
        @WithDefault("500ms")
        Duration initialDelay();

        @WithDefault("30s")
        Duration maxDelay();
    }

    interface Actuator {
        /** After an unlock, the bolt throws back (relocks) after this long. */
        @WithDefault("5s")
        Duration relockDelay();
    }

    /** The lock-side checks' time limits (lock-protocol LockVerifier). */
    interface Verifier {
        /** How far in the future (lock clock) a command's issue time may be. */
        @WithDefault("30s")
        Duration allowedClockSkew();

        /** The longest expiry minus issue time the lock accepts. */
        @WithDefault("60s")
        Duration maxCommandLifetime();
    }
}
