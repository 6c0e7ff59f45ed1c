package dev.portcullis.identity.oidc;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.portcullis.identity.IdentityConfig;
import dev.portcullis.identity.signing.TokenSigner;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Set;

/**
 * Verifies access tokens this issuer minted, for its own protected endpoints (userinfo): ES256 only,
 * {@code typ: at+jwt}, one of our published keys, our issuer and audience, not expired.
 */
@ApplicationScoped
public class AccessTokenVerifier {

    @Inject
    TokenSigner signer;

    @Inject
    IdentityConfig config;

    private DefaultJWTProcessor<SecurityContext> processor;

    @PostConstruct
    void init() {
        DefaultJWTProcessor<SecurityContext> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(TokenMinter.ACCESS_TOKEN_TYPE));
        // The signer's current key set on every call: a retired key stops verifying the moment it is unpublished.
        JWKSource<SecurityContext> keys = (selector, context) -> selector.select(signer.publishedKeys());
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys));
        p.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(config.accessTokenAudience(),
                new JWTClaimsSet.Builder().issuer(config.issuer()).build(),
                Set.of("sub", "exp", "iat", "jti", "scope", "client_id")));
        processor = p;
    }

    /** The verified claims; throws {@link OAuthException} (invalid_token) otherwise. */
    public JWTClaimsSet verify(String token) {
        try {
            return processor.process(token, null);
        } catch (java.text.ParseException | com.nimbusds.jose.proc.BadJOSEException | com.nimbusds.jose.JOSEException e) {
            throw OAuthException.invalidToken("the access token is invalid or expired");
        }
    }
}
