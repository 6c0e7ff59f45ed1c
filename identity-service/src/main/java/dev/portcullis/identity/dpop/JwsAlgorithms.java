package dev.portcullis.identity.dpop;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.util.Set;

/**
 * The asymmetric JWS algorithms accepted for client assertions and DPoP proofs, and signature checks
 * against a public JWK. {@code none} and every HMAC algorithm are refused: a symmetric "signature"
 * proves nothing about a key pair. RSA keys need at least 2048 bits. (EdDSA would need Google Tink under Nimbus; it is not offered.)
 */
public final class JwsAlgorithms {

    public static final Set<JWSAlgorithm> ASYMMETRIC = Set.of(
            JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512,
            JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
            JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

    private JwsAlgorithms() {
    }

    public static boolean accepted(JWSAlgorithm algorithm) {
        return algorithm != null && ASYMMETRIC.contains(algorithm);
    }

    /** True when the object's signature verifies with this public key under the header's (accepted) algorithm. */
    public static boolean verifies(JWSObject object, JWK key) {
        JWSHeader header = object.getHeader();
        if (!accepted(header.getAlgorithm()) || key == null || key.isPrivate()) {
            return false;
        }
        try {
            JWSVerifier verifier;
            if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(header.getAlgorithm())) {
                verifier = new ECDSAVerifier(ec);
            } else if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(header.getAlgorithm()) && rsa.size() >= 2048) {
                verifier = new RSASSAVerifier(rsa);
            } else {
                return false;
            }
            return object.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            return false;
        }
    }
}
