package dev.portcullis.identity.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.partner.UsedJtis;
import dev.portcullis.identity.secret.Tokens;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URISyntaxException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;

/**
 * Verifies DPoP proofs (RFC 9449 §4.3): {@code typ} dpop+jwt, an asymmetric {@code alg}, a public
 * {@code jwk} that verifies the signature, {@code htm} and {@code htu} of this request, {@code iat}
 * within the window, a {@code jti} never seen before for this key, and {@code ath} when an access token
 * is presented with the proof. The result is the key's RFC 7638 thumbprint (the {@code cnf.jkt} of a
 * bound token).
 */
@ApplicationScoped
public class DpopProofs {

    public static final JOSEObjectType TYPE = new JOSEObjectType("dpop+jwt");

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    @Inject
    UsedJtis jtis;

    /** A verified proof: the key's thumbprint, the proof's id and when it was made. */
    public record Proof(String thumbprint, String jti, Instant issuedAt) {
    }

    /** Why a proof was refused (the message is safe to return to the client). */
    public static final class InvalidProof extends RuntimeException {
        public InvalidProof(String message) {
            super(message, null, false, false);
        }
    }

    /** Checks the proof, then records its jti (a replay fails, also when it races the first use). */
    public Uni<Proof> verify(String proof, String method, String uri, String accessToken) {
        Duration window = config.partners().dpopProofWindow();
        Duration skew = config.partners().clockSkew();
        Proof checked;
        try {
            checked = check(proof, method, uri, accessToken, clock.instant(), window, skew);
        } catch (InvalidProof e) {
            return Uni.createFrom().failure(e);
        }
        return jtis.firstUse(UsedJtis.DPOP_PROOF, checked.thumbprint(), checked.jti(), checked.issuedAt().plus(window).plus(skew))
                .map(first -> {
                    if (!first) {
                        throw new InvalidProof("the DPoP proof was already used (jti replay)");
                    }
                    return checked;
                });
    }

    /** Every check but replay; pure, for use on any thread. */
    public static Proof check(String proof, String method, String uri, String accessToken, Instant now, Duration window,
            Duration skew) {
        if (proof == null || proof.isBlank() || proof.length() > 8192) {
            throw new InvalidProof("a DPoP proof is required");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof.trim());
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidProof("the DPoP proof is not a signed JWT");
        }
        JWSHeader header = jwt.getHeader();
        if (!TYPE.equals(header.getType())) {
            throw new InvalidProof("the DPoP proof must have typ dpop+jwt");
        }
        if (!JwsAlgorithms.accepted(header.getAlgorithm())) {
            throw new InvalidProof("the DPoP proof must be signed with an asymmetric algorithm");
        }
        JWK key = header.getJWK();
        if (key == null) {
            throw new InvalidProof("the DPoP proof must carry its public key in jwk");
        }
        if (key.isPrivate()) {
            throw new InvalidProof("the DPoP proof's jwk must not contain private key material");
        }
        if (!JwsAlgorithms.verifies(jwt, key)) {
            throw new InvalidProof("the DPoP proof's signature does not verify with its jwk");
        }
        if (!method.equals(stringClaim(claims, "htm"))) {
            throw new InvalidProof("the DPoP proof's htm does not match the request method");
        }
        if (!sameUri(stringClaim(claims, "htu"), uri)) {
            throw new InvalidProof("the DPoP proof's htu does not match the request URI");
        }
        Date iat = claims.getIssueTime();
        if (iat == null) {
            throw new InvalidProof("the DPoP proof must have iat");
        }
        Instant issuedAt = iat.toInstant();
        if (issuedAt.isAfter(now.plus(skew))) {
            throw new InvalidProof("the DPoP proof's iat is in the future");
        }
        if (issuedAt.isBefore(now.minus(window))) {
            throw new InvalidProof("the DPoP proof is too old");
        }
        String jti = claims.getJWTID();
        if (jti == null || jti.isEmpty() || jti.length() > 256) {
            throw new InvalidProof("the DPoP proof must have a jti (at most 256 characters)");
        }
        String ath = stringClaim(claims, "ath");
        if (accessToken == null) {
            if (claims.getClaim("ath") != null) {
                throw new InvalidProof("the DPoP proof has ath but no access token was presented");
            }
        } else if (ath == null || !Tokens.equal(ath, Tokens.s256(accessToken))) {
            throw new InvalidProof("the DPoP proof's ath does not match the access token");
        }
        try {
            return new Proof(key.computeThumbprint("SHA-256").toString(), jti, issuedAt);
        } catch (JOSEException e) {
            throw new InvalidProof("the DPoP proof's jwk has no thumbprint");
        }
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object value = claims.getClaim(name);
        return value instanceof String text ? text : null;
    }

    /** RFC 9449 §4.3: htu equals the request URI without query and fragment (scheme and host case-insensitive). */
    static boolean sameUri(String htu, String expected) {
        if (htu == null) {
            return false;
        }
        try {
            URI proof = new URI(htu);
            URI request = new URI(expected);
            if (proof.getRawQuery() != null || proof.getRawFragment() != null || !proof.isAbsolute()) {
                return false;
            }
            return proof.getScheme().toLowerCase(Locale.ROOT).equals(request.getScheme().toLowerCase(Locale.ROOT))
                    && proof.getHost() != null
                    && proof.getHost().toLowerCase(Locale.ROOT).equals(request.getHost().toLowerCase(Locale.ROOT))
                    && port(proof) == port(request)
                    && proof.getRawPath().equals(request.getRawPath())
                    && proof.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
