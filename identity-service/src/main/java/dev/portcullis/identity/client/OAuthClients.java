package dev.portcullis.identity.client;

import dev.portcullis.identity.password.PasswordHasher;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Registers clients and authenticates confidential ones. */
@ApplicationScoped
public class OAuthClients {

    @Inject
    OAuthClientRepository clients;

    @Inject
    PasswordHasher hasher;

    @Inject
    Clock clock;

    /** What a client registration says; {@code secret} is null for a public client. */
    public record Registration(String clientId, String name, List<String> redirectUris, List<String> scopes, String secret,
            List<String> postLogoutRedirectUris) {

        public Registration(String clientId, String name, List<String> redirectUris, List<String> scopes, String secret) {
            this(clientId, name, redirectUris, scopes, secret, List.of());
        }

        public Registration {
            for (String uri : postLogoutRedirectUris) {
                checkRedirectUri(uri);
            }
            if (clientId == null || clientId.isBlank() || redirectUris.isEmpty() || !scopes.contains("openid")) {
                throw new IllegalArgumentException("a client needs an id, a redirect URI and the openid scope");
            }
            for (String uri : redirectUris) {
                checkRedirectUri(uri);
            }
        }
    }

    /** Creates the client or replaces its registration (idempotent). */
    public Uni<OAuthClientEntity> register(Registration registration) {
        Uni<String> secretHash = registration.secret() == null ? Uni.createFrom().nullItem() : hasher.hash(registration.secret());
        return secretHash.flatMap(hash -> save(registration, hash));
    }

    @WithTransaction
    Uni<OAuthClientEntity> save(Registration registration, String secretHash) {
        return clients.findById(registration.clientId()).flatMap(existing -> {
            OAuthClientEntity client = existing != null ? existing : new OAuthClientEntity();
            client.clientId = registration.clientId();
            client.name = registration.name();
            client.redirectUris = registration.redirectUris().toArray(String[]::new);
            client.allowedScopes = registration.scopes().toArray(String[]::new);
            client.postLogoutRedirectUris = registration.postLogoutRedirectUris().toArray(String[]::new);
            client.publicClient = secretHash == null;
            client.secretHash = secretHash;
            if (client.createdAt == null) {
                client.createdAt = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            }
            return clients.persist(client);
        });
    }

    /** True when the secret is the confidential client's (always runs Argon2id, also for public clients). */
    public Uni<Boolean> secretMatches(OAuthClientEntity client, String secret) {
        String hash = client == null || client.publicClient ? null : client.secretHash;
        return hasher.verifyOrDummy(secret == null ? "" : secret, hash);
    }

    /** Redirect URIs are absolute, without fragment (RFC 6749 §3.1.2); plain http only for loopback. */
    static void checkRedirectUri(String value) {
        try {
            URI uri = new URI(value);
            if (!uri.isAbsolute() || uri.getRawFragment() != null) {
                throw new IllegalArgumentException("a redirect URI must be absolute and have no fragment: " + value);
            }
            if ("http".equals(uri.getScheme()) && !isLoopback(uri.getHost())) {
                throw new IllegalArgumentException("plain http redirect URIs are allowed for loopback only: " + value);
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URI: " + value);
        }
    }

    private static boolean isLoopback(String host) {
        return "127.0.0.1".equals(host) || "[::1]".equals(host) || "localhost".equals(host);
    }
}
