package dev.portcullis.command.auth;

import dev.portcullis.command.CommandConfig;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

/**
 * Sender-constrained tokens (RFC 9449): a DPoP-bound token ({@code cnf.jkt}) authenticates only under the
 * DPoP scheme, never as a bearer token (§7.2). Under the DPoP scheme quarkus-oidc has checked the proof's
 * typ, signature, public jwk, htm, htu, ath and its key against {@code cnf.jkt}; this adds an asymmetric
 * {@code alg}, the {@code iat} window and single use of the proof's {@code jti} (per instance, in memory,
 * kept as long as the proof could be accepted).
 */
@ApplicationScoped
public class SenderConstraint implements SecurityIdentityAugmentor {

    private static final Logger LOG = Logger.getLogger(SenderConstraint.class);

    static final Set<String> ASYMMETRIC = Set.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512",
            "EdDSA");

    private final Map<String, Instant> seenProofs = new ConcurrentHashMap<>();

    @Inject
    CommandConfig config;

    @Inject
    Clock clock;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        boolean bound = boundKey(token) != null;
        boolean dpopScheme = DpopTenantResolver.DPOP_TENANT.equals(identity.getAttribute("tenant-id"));
        if (bound && !dpopScheme) {
            return refuse("a DPoP-bound access token was presented as a bearer token");
        }
        if (dpopScheme) {
            if (!bound) {
                return refuse("the DPoP scheme needs a DPoP-bound access token");
            }
            RoutingContext request = HttpSecurityUtils.getRoutingContextAttribute(identity);
            String failure = request == null ? "no request" : checkProof(request.request().getHeader("DPoP"), boundKey(token));
            if (failure != null) {
                return refuse(failure);
            }
        }
        return Uni.createFrom().item(identity);
    }

    private String checkProof(String proof, String jkt) {
        JsonObject header;
        JsonObject claims;
        try {
            String[] parts = proof.split("\\.");
            header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
            claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return "the DPoP proof is malformed";
        }
        if (!ASYMMETRIC.contains(header.getString("alg"))) {
            return "the DPoP proof is not signed with an asymmetric algorithm";
        }
        Instant now = clock.instant();
        Object iat = claims.getValue("iat");
        if (!(iat instanceof Number seconds)) {
            return "the DPoP proof has no iat";
        }
        Instant issuedAt = Instant.ofEpochSecond(seconds.longValue());
        if (issuedAt.isAfter(now.plus(config.dpop().clockSkew())) || issuedAt.isBefore(now.minus(config.dpop().proofWindow()))) {
            return "the DPoP proof's iat is outside the accepted window";
        }
        Object jti = claims.getValue("jti");
        if (!(jti instanceof String id) || id.isEmpty() || id.length() > 256) {
            return "the DPoP proof has no jti";
        }
        purge(now);
        Instant keepUntil = issuedAt.plus(config.dpop().proofWindow()).plus(config.dpop().clockSkew());
        if (seenProofs.putIfAbsent(jkt + " " + id, keepUntil) != null) {
            return "the DPoP proof was already used";
        }
        return null;
    }

    private void purge(Instant now) {
        if (seenProofs.size() > 1024) {
            seenProofs.values().removeIf(until -> until.isBefore(now));
        }
    }

    static String boundKey(JsonWebToken token) {
        Object cnf = token.getClaim("cnf");
        if (cnf == null) {
            return null;
        }
        try {
            Object jkt = new JsonObject(cnf.toString()).getValue("jkt");
            return jkt instanceof String value && !value.isEmpty() ? value : null;
        } catch (RuntimeException e) {
            // A cnf that cannot be read is treated as bound to something we cannot check: refuse as bearer.
            return "unreadable";
        }
    }

    private static Uni<SecurityIdentity> refuse(String reason) {
        LOG.debugf("access token refused: %s", reason);
        return Uni.createFrom().failure(new AuthenticationFailedException(reason));
    }
}
