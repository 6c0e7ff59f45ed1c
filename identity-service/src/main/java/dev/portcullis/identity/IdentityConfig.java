package dev.portcullis.identity;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /** How long a browser's single sign-on session lasts after its latest authentication. */
    @WithDefault("PT8H")
    Duration ssoSessionLifetime();

    /**
     * How recent the proof of a factor must be for MFA enrollment or removal on the account page
     * (older: the person re-authenticates first).
     */
    @WithDefault("PT5M")
    Duration freshFactorWindow();

    /**
     * A step-up to a higher {@code acr} asks only for the missing second factor when the session's
     * password is at most this old; otherwise the whole sign-in is repeated.
     */
    @WithDefault("PT15M")
    Duration stepUpPasswordWindow();

    /** Seed the {@code portcullis-e2e} client with the demo portfolio (end-to-end suite only). */
    @WithDefault("false")
    boolean seedE2eClient();

    /**
     * With the demo portfolio: seed the operator console's public client {@code portcullis-console} with this
     * redirect URI (the console's {@code /callback}, e.g. {@code http://localhost:8087/callback}).
     */
    Optional<String> demoConsoleRedirectUri();

    Throttle throttle();

    RefreshToken refreshToken();

    /** Refresh tokens (issued when the granted scope includes offline_access), rotated on every use. */
    interface RefreshToken {

        /** Absolute lifetime of a refresh-token family (one sign-in): after it, the user signs in again. */
        @WithDefault("P1D")
        Duration absoluteLifetime();

        /** Idle lifetime: a refresh token unused for this long is dead (each rotation starts it anew). */
        @WithDefault("PT2H")
        Duration idleLifetime();
    }

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
        Optional<Path> demoJwksFile();
    }


    /** Invitations of new accounts by operators. */
    Invitations invitations();

    /**
     * Brute-force defence (NIST SP 800-63B §5.2.2): consecutive failures per account lock it, and
     * failures per source (client address) throttle that source.
     */
    interface Throttle {

        /**
         * Consecutive failures (wrong password, wrong or missing TOTP) after which the account is locked.
         * At most 100 (NIST SP 800-63B).
         */
        @WithDefault("100")
        int threshold();

        /**
         * How long a lockout lasts. Attempts inside it are neither judged nor counted and do not extend
         * it; after it, each further failure locks again until a login succeeds or an operator clears it.
         */
        @WithDefault("PT1H")
        Duration lockoutDuration();

        /** Failed attempts from one source (client address) within {@link #sourceWindow()} before it is throttled. */
        @WithDefault("100")
        int sourceThreshold();

        /** The per-source counting window; a throttled source stays throttled for one full window. */
        @WithDefault("PT15M")
        Duration sourceWindow();

        /**
         * Addresses of reverse proxies whose {@code X-Forwarded-For} is believed. Empty (the default):
         * the source is the TCP peer address and {@code X-Forwarded-For} is ignored, because any client
         * can send it. Behind a proxy or ingress, list its address(es) here explicitly.
         */
        Optional<List<String>> trustedProxies();
    }

    interface Invitations {

        /** How long an invitation link can be used. */
        @WithDefault("P7D")
        Duration lifetime();
    }
}
