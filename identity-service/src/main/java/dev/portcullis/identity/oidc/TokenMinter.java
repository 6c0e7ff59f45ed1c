package dev.portcullis.identity.oidc;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.account.AccountEntity;
import dev.portcullis.identity.signing.TokenSigner;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** Builds and signs access tokens (RFC 9068 JWT profile) and ID tokens (OIDC Core §2). */
@ApplicationScoped
public class TokenMinter {

    /** RFC 9068 §2.1: the media type of JWT access tokens. */
    public static final JOSEObjectType ACCESS_TOKEN_TYPE = new JOSEObjectType("at+jwt");

    @Inject
    TokenSigner signer;

    @Inject
    IdentityConfig config;

    @Inject
    Clock clock;

    /**
     * What the token endpoint returns. {@code refreshToken} is null when none is issued; {@code
     * accessTokenId} and {@code accessTokenExpiry} identify the access token for the revocation list.
     */
    public record Minted(String accessToken, long expiresIn, String idToken, String scope, String refreshToken,
            String accessTokenId, Instant accessTokenExpiry) {

        public Minted(String accessToken, long expiresIn, String idToken, String scope) {
            this(accessToken, expiresIn, idToken, scope, null, null, null);
        }

        public Minted withRefreshToken(String value) {
            return new Minted(accessToken, expiresIn, idToken, scope, value, accessTokenId, accessTokenExpiry);
        }
    }

    /**
     * What a sign-in granted a client: the authorization code's facts, or a refresh-token family's.
     * {@code sid} (may be null) goes into the ID token so RP-initiated logout can find the sign-in;
     * {@code nonce} is null for refreshed ID tokens (OIDC Core §12.2).
     */
    public record Grant(String clientId, String scope, String nonce, OffsetDateTime authTime, String[] amr, String acr, String sid) {

        public static Grant of(AuthorizationCodeEntity code, String sid) {
            return new Grant(code.clientId, code.scope, code.nonce, code.authTime, code.amr, code.acr, sid);
        }
    }

    public Minted mint(AuthorizationCodeEntity code, AccountEntity account) {
        return mint(Grant.of(code, null), account);
    }

    public Minted mint(Grant code, AccountEntity account) {
        // Whole seconds: JWT NumericDate has no fractions, and iat/nbf must not lie in the future.
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        List<String> amr = Arrays.asList(code.amr);
        Date authTime = Date.from(code.authTime.toInstant());
        String jti = UUID.randomUUID().toString();
        Instant accessExpiry = now.plus(config.accessTokenLifetime());
        JWTClaimsSet access = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(account.id.toString())
                .audience(config.accessTokenAudience())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(accessExpiry))
                .jwtID(jti)
                .claim("client_id", code.clientId)
                .claim("scope", code.scope)
                .claim("org", account.organizationId.toString())
                .claim("roles", List.of(account.roles))
                .claim("amr", amr)
                .claim("acr", code.acr)
                .claim("auth_time", authTime)
                .build();
        JWTClaimsSet.Builder id = new JWTClaimsSet.Builder()
                .issuer(config.issuer())
                .subject(account.id.toString())
                .audience(code.clientId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(config.idTokenLifetime())))
                .claim("auth_time", authTime)
                .claim("amr", amr)
                .claim("acr", code.acr);
        if (code.nonce != null) {
            id.claim("nonce", code.nonce);
        }
        if (code.sid != null) {
            id.claim("sid", code.sid);
        }
        if (List.of(code.scope.split(" ")).contains("profile")) {
            id.claim("name", account.displayName);
        }
        return new Minted(signer.sign(access, ACCESS_TOKEN_TYPE), config.accessTokenLifetime().toSeconds(),
                signer.sign(id.build(), JOSEObjectType.JWT), code.scope, null, jti, accessExpiry);
    }
}
