package dev.portcullis.identity.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.IdentityConfig;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import org.jboss.logging.Logger;

/**
 * ES256 signing with a P-256 key from a PKCS#8 PEM file ({@code portcullis.identity.signing-key-file}).
 * The key id is the key's RFC 7638 thumbprint, so it changes exactly when the key does. Loaded at
 * startup: a missing or unreadable key stops the service instead of failing the first login.
 */
@Startup
@ApplicationScoped
public class FileTokenSigner implements TokenSigner {

    private static final Logger LOG = Logger.getLogger(FileTokenSigner.class);

    private ECDSASigner signer;
    private ECKey publicJwk;

    @Inject
    public FileTokenSigner(IdentityConfig config) {
        this(config.signingKeyFile(), config.generateSigningKey());
    }

    public FileTokenSigner(Path file, boolean generateIfMissing) {
        try {
            KeyPair keys;
            if (Files.exists(file)) {
                keys = SigningKeyFile.read(file);
            } else if (generateIfMissing) {
                keys = SigningKeyFile.generate();
                SigningKeyFile.write(file, (ECPrivateKey) keys.getPrivate());
                LOG.infof("generated a new token-signing key at %s", file);
            } else {
                throw new IllegalStateException("the token-signing key file " + file + " does not exist (set "
                        + "PORTCULLIS_IDENTITY_SIGNING_KEY_FILE, or PORTCULLIS_IDENTITY_GENERATE_SIGNING_KEY=true for local development)");
            }
            ECKey withoutId = new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic())
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.ES256)
                    .build();
            this.publicJwk = new ECKey.Builder(withoutId).keyID(withoutId.computeThumbprint().toString()).build();
            this.signer = new ECDSASigner((ECPrivateKey) keys.getPrivate());
        } catch (IOException | GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("cannot load the token-signing key from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String sign(JWTClaimsSet claims, JOSEObjectType type) {
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(publicJwk.getKeyID()).type(type).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("token signing failed", e);
        }
        return jwt.serialize();
    }

    @Override
    public String keyId() {
        return publicJwk.getKeyID();
    }

    @Override
    public JWK publicJwk() {
        return publicJwk;
    }
}
