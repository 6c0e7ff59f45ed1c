package dev.portcullis.identity.signing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Signs the tokens this issuer hands out. Key material never leaves the implementation, so a KMS or
 * HSM-backed signer can replace the file-backed one without touching the token code.
 *
 * <p>Keys rotate: the <em>active</em> key signs; the <em>next</em> key is published before it is ever
 * used, so verifiers that cache the JWKS already know it when it becomes active; <em>retired</em> keys
 * stay published until every token they signed has expired.
 */
public interface TokenSigner {

    /** Signs the claims as a compact JWS with this signer's algorithm and {@code kid}, and the given {@code typ}. */
    String sign(JWTClaimsSet claims, JOSEObjectType type);

    /** The {@code kid} every token signed now carries. */
    String keyId();

    /** The active public verification key ({@code kid}, {@code use=sig}, {@code alg}). */
    JWK publicJwk();

    /** Every public key a verifier must accept now (active, next, retired but not yet expired): the JWKS. */
    JWKSet publishedKeys();

    /**
     * Rotates: the next key becomes active, the active key is retired, a new next key is published.
     * When no next key exists yet, only publishes one (it becomes active at the following rotation).
     */
    void rotate();
}
