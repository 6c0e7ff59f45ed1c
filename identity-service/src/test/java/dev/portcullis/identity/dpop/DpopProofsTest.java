package dev.portcullis.identity.dpop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.secret.Tokens;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The proof checks on their own, including the ones only a resource server meets ({@code ath}). */
class DpopProofsTest {

    static final String URI = "https://api.example.test/v1/doors/1/unlock";
    static final Instant NOW = Instant.parse("2026-12-03T07:00:00Z");
    static final Duration WINDOW = Duration.ofSeconds(60);
    static final Duration SKEW = Duration.ofSeconds(5);

    static String proof(JWK key, JWSAlgorithm alg, JWSSigner signer, Consumer<JWTClaimsSet.Builder> tweak) throws Exception {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().claim("htm", "POST").claim("htu", URI)
                .issueTime(Date.from(NOW)).jwtID(UUID.randomUUID().toString());
        tweak.accept(claims);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(new JOSEObjectType("dpop+jwt")).jwk(key.toPublicJWK()).build(),
                claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    static DpopProofs.Proof check(String proof, String accessToken) {
        return DpopProofs.check(proof, "POST", URI, accessToken, NOW, WINDOW, SKEW);
    }

    @Test
    void athMustBeTheHashOfThePresentedAccessToken() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        String token = "an.access.token";
        String good = proof(key, JWSAlgorithm.ES256, new ECDSASigner(key), c -> c.claim("ath", Tokens.s256(token)));
        assertEquals(key.toPublicJWK().computeThumbprint().toString(), check(good, token).thumbprint());
        String other = proof(key, JWSAlgorithm.ES256, new ECDSASigner(key), c -> c.claim("ath", Tokens.s256("another.token")));
        assertThrows(DpopProofs.InvalidProof.class, () -> check(other, token));
        String missing = proof(key, JWSAlgorithm.ES256, new ECDSASigner(key), c -> { });
        assertThrows(DpopProofs.InvalidProof.class, () -> check(missing, token));
    }

    @Test
    void rsaPssProofsAreAcceptedAndAlgorithmKeyMismatchesAreNot() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        String pss = proof(rsa, JWSAlgorithm.PS256, new RSASSASigner(rsa), c -> { });
        assertEquals(rsa.toPublicJWK().computeThumbprint().toString(), check(pss, null).thumbprint());
        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        // An EC signature presented with an RSA jwk: no verifier matches.
        String mismatched = proof(rsa, JWSAlgorithm.ES256, new ECDSASigner(ec), c -> { });
        assertThrows(DpopProofs.InvalidProof.class, () -> check(mismatched, null));
    }

    @Test
    void weakRsaKeysAreRefused() throws Exception {
        RSAKey weak = new RSAKeyGenerator(1024, true).generate();
        String proof = proof(weak, JWSAlgorithm.PS256, new RSASSASigner(weak.toPrivateKey(), true), c -> { });
        assertThrows(DpopProofs.InvalidProof.class, () -> check(proof, null));
    }

    @Test
    void theIatWindowHasExactEdges() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        check(proof(key, JWSAlgorithm.ES256, new ECDSASigner(key), c -> c.issueTime(Date.from(NOW.minus(WINDOW)))), null);
        assertThrows(DpopProofs.InvalidProof.class, () -> check(proof(key, JWSAlgorithm.ES256, new ECDSASigner(key),
                c -> c.issueTime(Date.from(NOW.minus(WINDOW).minusSeconds(1)))), null));
        check(proof(key, JWSAlgorithm.ES256, new ECDSASigner(key), c -> c.issueTime(Date.from(NOW.plus(SKEW)))), null);
        assertThrows(DpopProofs.InvalidProof.class, () -> check(proof(key, JWSAlgorithm.ES256, new ECDSASigner(key),
                c -> c.issueTime(Date.from(NOW.plus(SKEW).plusSeconds(1)))), null));
    }

    @Test
    void htuIgnoresCaseOfSchemeAndHostAndDefaultPortsButNothingElse() {
        assertEquals(true, DpopProofs.sameUri("HTTPS://API.example.test:443/v1/doors/1/unlock", URI));
        assertEquals(false, DpopProofs.sameUri("https://api.example.test/v1/doors/1/UNLOCK", URI));
        assertEquals(false, DpopProofs.sameUri("https://api.example.test/v1/doors/1/unlock/", URI));
        assertEquals(false, DpopProofs.sameUri("https://user@api.example.test/v1/doors/1/unlock", URI));
        assertEquals(false, DpopProofs.sameUri("/v1/doors/1/unlock", URI));
    }
}
