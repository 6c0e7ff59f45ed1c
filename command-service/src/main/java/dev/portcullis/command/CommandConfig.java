package dev.portcullis.command;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

@ConfigMapping(prefix = "portcullis.command")
public interface CommandConfig {

    /** How long a command is valid after it is issued. A command not executed by then is dead. */
    @WithDefault("5s")
    Duration commandLifetime();

    /** How much longer than the lifetime the platform waits for the lock's acknowledgement to travel back. */
    @WithDefault("2s")
    Duration acknowledgementGrace();

    /** Deadline for a policy decision; past it the request is denied (fail closed). */
    @WithDefault("2s")
    Duration policyDeadline();

    /** Deadline for a registry look-up; past it the request fails. */
    @WithDefault("2s")
    Duration registryDeadline();

    /** How long a permit that needs a second approver waits for one before it expires unsent. */
    @WithDefault("10m")
    Duration approvalTimeout();

    /** How recent the approver's second factor must be (the approver signs in again if older). */
    @WithDefault("5m")
    Duration approverMaxAuthAge();

    Gateway gateway();

    Replica replica();

    Limits limits();

    /**
     * Unlock requests admitted per minute (token buckets: a burst of that many, refilled evenly), per
     * replica. Beyond them: 429 with Retry-After, before anything is recorded or asked of policy.
     */
    interface Limits {
        /** Per person (organization and subject). */
        @WithDefault("20")
        int perUserPerMinute();

        /** Per door, whoever asks. */
        @WithDefault("60")
        int perDoorPerMinute();

        /** Per partner client, across all its organizations and guests. */
        @WithDefault("600")
        int perPartnerPerMinute();
    }

    Admission admission();

    /**
     * Load shedding: unlocks in progress on this replica (admitted and not yet answered: recording, policy,
     * registry, sealing, waiting for the lock) are bounded; past the bound a request is refused at once with
     * 503 problem+json and Retry-After, before anything is recorded or asked of policy, instead of queueing
     * until its client gives up.
     */
    interface Admission {
        /** At most this many unlocks in progress at once (the excess is answered 503). */
        @WithDefault("64")
        int maxInProgress();

        /** The Retry-After of a refusal. */
        @WithDefault("1s")
        Duration retryAfter();
    }

    Dpop dpop();

    /** DPoP proofs at this resource server (RFC 9449 §7.1); quarkus-oidc checks the rest of the binding. */
    interface Dpop {
        /** How old a proof's {@code iat} may be. */
        @WithDefault("60s")
        Duration proofWindow();

        /** Tolerated clock difference for an {@code iat} in the future. */
        @WithDefault("5s")
        Duration clockSkew();
    }

    /** This replica, as the others reach it to relay an unlock to a lock whose stream it holds. */
    interface Replica {
        /** Unique among the replicas (the pod name); random when unset. */
        java.util.Optional<String> id();

        /** host:port of this replica's gRPC port as the other replicas reach it (the pod IP); loopback when unset. */
        java.util.Optional<String> address();
    }

    interface Gateway {
        /** A lock must complete the challenge within this time or the stream is closed. */
        @WithDefault("10s")
        Duration authenticationTimeout();

        /** A stream with no message for this long is considered dead. */
        @WithDefault("45s")
        Duration idleTimeout();

        /**
         * A lock clock (heartbeat, signed acknowledgement) further than this from the platform's raises a
         * CLOCK_SKEW alert. Below the lock protocol's allowed skew (30 s), so it warns before commands fail.
         */
        @WithDefault("10s")
        Duration clockSkewAlert();
    }
}
