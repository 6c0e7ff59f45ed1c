package dev.portcullis.identity.partner;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.portcullis.identity.client.OAuthClientEntity;
import dev.portcullis.identity.client.OAuthClientRepository;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Registers partner clients (private_key_jwt with a public JWKS, no redirect URIs, no secret) and
 * records the grants organizations give them.
 */
@ApplicationScoped
public class PartnerClients {

    public static final String PRIVATE_KEY_JWT = "private_key_jwt";

    /** The scopes a partner can be granted. */
    public static final Set<String> PARTNER_SCOPES = Set.of("unlock");

    @Inject
    OAuthClientRepository clients;

    @Inject
    PartnerGrantRepository grants;

    @Inject
    Clock clock;

    /** Checks that the JWKS parses and holds only public keys; returns its public JSON form. */
    public static String publicJwks(String json) {
        try {
            JWKSet set = JWKSet.parse(json);
            if (set.getKeys().isEmpty()) {
                throw new IllegalArgumentException("the JWKS holds no key");
            }
            for (JWK key : set.getKeys()) {
                if (key.isPrivate()) {
                    throw new IllegalArgumentException("a partner's JWKS must hold public keys only");
                }
            }
            return set.toString(true);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWKS: " + e.getMessage());
        }
    }

    /** Creates or replaces a private_key_jwt client (idempotent). */
    @WithTransaction
    public Uni<OAuthClientEntity> register(String clientId, String name, String jwksJson, List<String> scopes) {
        String jwks = publicJwks(jwksJson);
        if (!PARTNER_SCOPES.containsAll(scopes) || scopes.isEmpty()) {
            throw new IllegalArgumentException("partner scopes must be among " + PARTNER_SCOPES);
        }
        return clients.findById(clientId).flatMap(existing -> {
            OAuthClientEntity client = existing != null ? existing : new OAuthClientEntity();
            client.clientId = clientId;
            client.name = name;
            client.redirectUris = new String[0];
            client.allowedScopes = scopes.toArray(String[]::new);
            client.publicClient = false;
            client.secretHash = null;
            client.jwks = jwks;
            client.tokenEndpointAuthMethod = PRIVATE_KEY_JWT;
            if (client.createdAt == null) {
                client.createdAt = now();
            }
            return clients.persist(client);
        });
    }

    /** Records (or replaces the scopes of) the organization's active grant to the partner. */
    @WithTransaction
    public Uni<PartnerGrantEntity> grant(String clientId, UUID organizationId, List<String> scopes, UUID grantedBy) {
        if (scopes.isEmpty() || !PARTNER_SCOPES.containsAll(scopes)) {
            throw new IllegalArgumentException("partner scopes must be among " + PARTNER_SCOPES);
        }
        return grants.active(clientId, organizationId).flatMap(existing -> {
            PartnerGrantEntity grant = existing != null ? existing : new PartnerGrantEntity();
            if (grant.id == null) {
                grant.id = UUID.randomUUID();
                grant.clientId = clientId;
                grant.organizationId = organizationId;
            }
            grant.scopes = scopes.toArray(String[]::new);
            grant.grantedBy = grantedBy;
            grant.grantedAt = now();
            return grants.persist(grant);
        });
    }

    /** Revokes the organization's active grant, if any. */
    @WithTransaction
    public Uni<Boolean> revoke(String clientId, UUID organizationId) {
        return grants.active(clientId, organizationId).map(grant -> {
            if (grant == null) {
                return false;
            }
            grant.revokedAt = now();
            return true;
        });
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }
}
