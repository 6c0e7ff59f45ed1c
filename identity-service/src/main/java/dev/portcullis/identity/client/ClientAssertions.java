package dev.portcullis.identity.client;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.dpop.JwsAlgorithms;
import dev.portcullis.identity.oidc.OAuthException;
import dev.portcullis.identity.partner.UsedJtis;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code private_key_jwt} client authentication (RFC 7523 §2.2, §3; OIDC Core §9): a JWT signed with
 * one of the client's registered public keys (asymmetric algorithms only), {@code iss} = {@code sub} =
 * client id, {@code aud} the issuer or the token endpoint, {@code exp} required and near, {@code iat} and
 * {@code nbf} not in the future, and a {@code jti} that is accepted once.
 */
@ApplicationScoped
public class ClientAssertions {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    @Inject
    OAuthClientRepository clients;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    @Inject
    UsedJtis jtis;

    /** The authenticated private_key_jwt client; fails with invalid_client otherwise. */
    public Uni<OAuthClientEntity> authenticate(String clientId, String assertionType, String assertion) {
        if (!JWT_BEARER.equals(assertionType)) {
            throw OAuthException.invalidClient("client_assertion_type must be " + JWT_BEARER);
        }
        if (assertion == null || assertion.length() > 16384) {
            throw OAuthException.invalidClient("client_assertion is required");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw OAuthException.invalidClient("client_assertion is not a signed JWT");
        }
        if (!JwsAlgorithms.accepted(jwt.getHeader().getAlgorithm())) {
            throw OAuthException.invalidClient("client_assertion must be signed with an asymmetric algorithm");
        }
        String issuer = claims.getIssuer();
        if (issuer == null || !issuer.equals(claims.getSubject())) {
            throw OAuthException.invalidClient("client_assertion iss and sub must both be the client id");
        }
        if (clientId != null && !clientId.equals(issuer)) {
            throw OAuthException.invalidClient("client_id does not match the client assertion");
        }
        return clients.find(issuer).flatMap(client -> {
            if (client == null || !client.usesPrivateKeyJwt()) {
                throw OAuthException.invalidClient("unknown client or not a private_key_jwt client");
            }
            if (!signedByClient(jwt, client)) {
                throw OAuthException.invalidClient("client_assertion signature does not verify with the client's keys");
            }
            Instant expiresAt = checkClaims(claims);
            return jtis.firstUse(UsedJtis.CLIENT_ASSERTION, client.clientId, claims.getJWTID(), expiresAt).map(first -> {
                if (!first) {
                    throw OAuthException.invalidClient("client_assertion was already used (jti replay)");
                }
                return client;
            });
        });
    }

    private static boolean signedByClient(SignedJWT jwt, OAuthClientEntity client) {
        List<JWK> candidates;
        try {
            candidates = new JWKSelector(JWKMatcher.forJWSHeader(jwt.getHeader())).select(JWKSet.parse(client.jwks));
        } catch (ParseException e) {
            return false;
        }
        for (JWK key : candidates) {
            if (JwsAlgorithms.verifies(jwt, key)) {
                return true;
            }
        }
        return false;
    }

    private Instant checkClaims(JWTClaimsSet claims) {
        Instant now = clock.instant();
        Duration skew = config.partners().clockSkew();
        if (claims.getExpirationTime() == null) {
            throw OAuthException.invalidClient("client_assertion must have exp");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (!now.isBefore(exp)) {
            throw OAuthException.invalidClient("client_assertion has expired");
        }
        if (exp.isAfter(now.plus(config.partners().maxAssertionLifetime()).plus(skew))) {
            throw OAuthException.invalidClient("client_assertion exp is too far in the future");
        }
        if (claims.getIssueTime() != null && claims.getIssueTime().toInstant().isAfter(now.plus(skew))) {
            throw OAuthException.invalidClient("client_assertion iat is in the future");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(skew))) {
            throw OAuthException.invalidClient("client_assertion is not valid yet (nbf)");
        }
        List<String> audience = claims.getAudience();
        String tokenEndpoint = config.issuer() + "/oauth2/token";
        if (audience == null || !(audience.contains(config.issuer()) || audience.contains(tokenEndpoint))) {
            throw OAuthException.invalidClient("client_assertion aud must be the issuer or the token endpoint");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > 256) {
            throw OAuthException.invalidClient("client_assertion must have a jti (at most 256 characters)");
        }
        return exp;
    }
}
