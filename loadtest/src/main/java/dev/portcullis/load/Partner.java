package dev.portcullis.load;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * The demo partner platform of a load run: an ES256 key pair made for the run, its public JWKS written to
 * a file that identity-service's demo seed reads ({@code portcullis.identity.partners.demo-jwks-file}: it
 * registers {@code portcullis-demo-partner}, a private_key_jwt client, with the demo organization's unlock
 * grant), and client assertions signed with Nimbus (JDK P-256), a fresh {@code jti} each.
 */
public final class Partner {

    /** identity-service's DemoPartner.CLIENT_ID. */
    static final String CLIENT_ID = "portcullis-demo-partner";
    static final String JWKS_FILE_PROPERTY = "portcullis.identity.partners.demo-jwks-file";

    private final ECKey key;
    private final ECDSASigner signer;

    private Partner(ECKey key) throws JOSEException {
        this.key = key;
        this.signer = new ECDSASigner(key);
    }

    /** A new key pair; its public JWKS is written to {@code jwksFile}. */
    static Partner create(Path jwksFile) throws IOException {
        try {
            ECKey key = new ECKeyGenerator(Curve.P_256).keyID("load-" + UUID.randomUUID()).generate();
            Files.writeString(jwksFile, new JWKSet(key.toPublicJWK()).toString(true));
            return new Partner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not make the partner's key: " + e.getMessage(), e);
        }
    }

    /** A client assertion for the token endpoint: iss = sub = the client, aud = the endpoint, 60 s, single-use jti. */
    String assertion(URI tokenEndpoint) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(CLIENT_ID)
                .subject(CLIENT_ID)
                .audience(tokenEndpoint.toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign the client assertion: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }
}
