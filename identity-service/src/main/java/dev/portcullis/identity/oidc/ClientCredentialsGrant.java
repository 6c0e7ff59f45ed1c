package dev.portcullis.identity.oidc;

import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.client.ClientAssertions;
import dev.portcullis.identity.client.OAuthClientEntity;
import dev.portcullis.identity.dpop.DpopProofs;
import dev.portcullis.identity.partner.PartnerGrantEntity;
import dev.portcullis.identity.partner.PartnerGrantRepository;
import dev.portcullis.identity.signing.TokenSigner;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The client credentials grant (RFC 6749 §4.4) for partner clients authenticated with
 * {@code private_key_jwt}. The access token (RFC 9068) names the partner as {@code sub}, carries only
 * scopes organizations granted it and lists those organizations in {@code orgs}; with a DPoP proof it
 * is bound to the proof's key ({@code cnf.jkt}, token type DPoP).
 */
@ApplicationScoped
public class ClientCredentialsGrant {

    public static final String GRANT_TYPE = "client_credentials";

    @Inject
    ClientAssertions assertions;

    @Inject
    PartnerGrantRepository grants;

    @Inject
    DpopProofs dpop;

    @Inject
    TokenSigner signer;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    public record Issued(String accessToken, String tokenType, long expiresIn, String scope) {

        public Response response() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", accessToken);
            body.put("token_type", tokenType);
            body.put("expires_in", expiresIn);
            body.put("scope", scope);
            return Response.ok(body).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
        }
    }

    /** The token endpoint's URL: the DPoP proof's htu and an accepted client assertion audience. */
    public String tokenEndpoint() {
        return config.issuer() + "/oauth2/token";
    }

    @WithSession
    public Uni<Issued> exchange(Map<String, List<String>> form, String authorization, List<String> dpopHeaders) {
        for (Map.Entry<String, List<String>> parameter : form.entrySet()) {
            if (parameter.getValue().size() > 1) {
                throw OAuthException.invalidRequest(parameter.getKey() + " must not be repeated");
            }
        }
        if (authorization != null || form.containsKey("client_secret")) {
            throw new OAuthException(400, "unauthorized_client",
                    "the client_credentials grant is for private_key_jwt clients; secret-based and public clients cannot use it", null);
        }
        if (dpopHeaders != null && dpopHeaders.size() > 1) {
            throw invalidDpop("send one DPoP header");
        }
        String proof = dpopHeaders == null || dpopHeaders.isEmpty() ? null : dpopHeaders.get(0);
        Uni<DpopProofs.Proof> bound = proof == null
                ? Uni.createFrom().nullItem()
                : dpop.verify(proof, "POST", tokenEndpoint(), null)
                        .onFailure(DpopProofs.InvalidProof.class).transform(e -> invalidDpop(e.getMessage()));
        List<String> requestedScopes = words(value(form, "scope"));
        List<UUID> requestedOrgs = organizations(value(form, "organization"));
        return bound.flatMap(key -> assertions.authenticate(value(form, "client_id"), value(form, "client_assertion_type"),
                        value(form, "client_assertion"))
                .flatMap(client -> grants.active(client.clientId)
                        .map(active -> issue(client, active, requestedScopes, requestedOrgs, key))));
    }

    private Issued issue(OAuthClientEntity client, List<PartnerGrantEntity> active, List<String> requestedScopes,
            List<UUID> requestedOrgs, DpopProofs.Proof key) {
        List<PartnerGrantEntity> chosen = new ArrayList<>();
        for (PartnerGrantEntity grant : active) {
            if (requestedOrgs.isEmpty() || requestedOrgs.contains(grant.organizationId)) {
                chosen.add(grant);
            }
        }
        if (chosen.size() < (requestedOrgs.isEmpty() ? 1 : requestedOrgs.size())) {
            throw invalidScope(requestedOrgs.isEmpty() ? "no organization has granted this client access"
                    : "an organization asked for has not granted this client access");
        }
        List<String> scopes;
        if (requestedScopes.isEmpty()) {
            // Only what every chosen organization granted: a scope is never stretched to an organization that did not grant it.
            Set<String> common = new LinkedHashSet<>(Arrays.asList(chosen.get(0).scopes));
            chosen.forEach(grant -> common.retainAll(Arrays.asList(grant.scopes)));
            scopes = List.copyOf(common);
        } else {
            scopes = requestedScopes;
        }
        if (scopes.isEmpty() || !client.allows(scopes)) {
            throw invalidScope("the requested scope is not registered for this client");
        }
        List<String> orgs = new ArrayList<>();
        for (PartnerGrantEntity grant : chosen) {
            if (grant.covers(scopes)) {
                orgs.add(grant.organizationId.toString());
            } else if (!requestedOrgs.isEmpty()) {
                throw invalidScope("organization " + grant.organizationId + " has not granted " + String.join(" ", scopes));
            }
        }
        if (orgs.isEmpty()) {
            throw invalidScope("no organization has granted " + String.join(" ", scopes));
        }
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        String scope = String.join(" ", scopes);
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(client.clientId)
                .audience(config.accessTokenAudience())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(config.accessTokenLifetime())))
                .jwtID(UUID.randomUUID().toString())
                .claim("client_id", client.clientId)
                .claim("scope", scope)
                .claim("orgs", orgs);
        if (key != null) {
            claims.claim("cnf", Map.of("jkt", key.thumbprint()));
        }
        String token = signer.sign(claims.build(), TokenMinter.ACCESS_TOKEN_TYPE);
        return new Issued(token, key != null ? "DPoP" : "Bearer", config.accessTokenLifetime().toSeconds(), scope);
    }

    static OAuthException invalidDpop(String description) {
        return new OAuthException(400, "invalid_dpop_proof", description, null);
    }

    static OAuthException invalidScope(String description) {
        return new OAuthException(400, "invalid_scope", description, null);
    }

    private static List<String> words(String value) {
        if (value == null) {
            return List.of();
        }
        return List.copyOf(new LinkedHashSet<>(Arrays.asList(value.trim().split(" +"))));
    }

    private static List<UUID> organizations(String value) {
        List<UUID> ids = new ArrayList<>();
        for (String word : words(value)) {
            try {
                ids.add(UUID.fromString(word));
            } catch (IllegalArgumentException e) {
                throw invalidScope("organization must be organization ids separated by spaces");
            }
        }
        return List.copyOf(new LinkedHashSet<>(ids));
    }

    private static String value(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }
}
