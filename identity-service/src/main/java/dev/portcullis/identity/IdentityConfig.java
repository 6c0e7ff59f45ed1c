package dev.portcullis.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/**
 * identity-service configuration. Every key can be set through the environment with the usual
 * mapping (e.g. {@code portcullis.identity.signing-key-file} is {@code PORTCULLIS_IDENTITY_SIGNING_KEY_FILE}).
 */
@ConfigMapping(prefix = "portcullis.identity")
public interface IdentityConfig {

    /** The OIDC issuer identifier: the base URL clients reach this service at (no trailing slash). */
    @WithDefault("http://localhost:8081")
    String issuer();

    /** PKCS#8 PEM file holding the P-256 token-signing key. */
    Path signingKeyFile();

    /** Generate the signing key (mode 0600) when the file does not exist; for local development only. */
    @WithDefault("false")
    boolean generateSigningKey();

    /** Base64 of 32 random bytes: the AES-256-GCM key that protects stored secrets (TOTP seeds). */
    String dataKey();

    /** The {@code aud} of access tokens: the resource servers of the platform. */
    @WithDefault("portcullis-api")
    String accessTokenAudience();

    @WithDefault("PT5M")
    Duration accessTokenLifetime();

    @WithDefault("PT5M")
    Duration idTokenLifetime();

    @WithDefault("PT60S")
    Duration authorizationCodeLifetime();

    @WithDefault("PT10M")
    Duration loginFlowLifetime();

    /** Seed the {@code portcullis-e2e} client with the demo portfolio (end-to-end suite only). */
    @WithDefault("false")
    boolean seedE2eClient();

    Throttle throttle();

    Partners partners();

    /** Partner clients (private_key_jwt client assertions) and DPoP proofs. */
    interface Partners {

        /** The longest a client assertion may still be valid when it arrives ({@code exp - now}). */
        @WithDefault("PT5M")
        Duration maxAssertionLifetime();

        /** How old a DPoP proof's {@code iat} may be. */
        @WithDefault("PT60S")
        Duration dpopProofWindow();

        /** Tolerated clock difference for {@code iat}/{@code nbf} in the future. */
        @WithDefault("PT5S")
        Duration clockSkew();

        /** The public JWKS of the demo partner client; when set, DemoSeed registers it with a grant for the demo organization. */
        java.util.Optional<Path> demoJwksFile();
    }

    /** Per-account throttling of password and TOTP guesses. */
    interface Throttle {

        /** Consecutive failures (password or TOTP) after which the account is throttled. */
        @WithDefault("10")
        int threshold();

        /** The first throttle window; it doubles with every further failure. */
        @WithDefault("PT30S")
        Duration initialDelay();

        /** The longest throttle window (so an attacker can delay a victim, never lock them out for good). */
        @WithDefault("PT15M")
        Duration maxDelay();
    }
}
