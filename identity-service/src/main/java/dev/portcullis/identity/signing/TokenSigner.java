package dev.portcullis.identity.signing;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;

/**
 * Signs the tokens this issuer hands out. Key material never leaves the implementation, so a KMS or
 * HSM-backed signer can replace the file-backed one without touching the token code.
 */
public interface TokenSigner {

    /** Signs the claims as a compact JWS with this signer's algorithm and {@code kid}, and the given {@code typ}. */
    String sign(JWTClaimsSet claims, JOSEObjectType type);

    /** The {@code kid} every token signed now carries. */
    String keyId();

    /** The public verification key ({@code kid}, {@code use=sig}, {@code alg}), as published in the JWKS. */
    JWK publicJwk();
}
