package dev.portcullis.identity.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.IdentityConfig;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * ES256 signing with P-256 keys kept as PKCS#8 PEM files next to {@code portcullis.identity.signing-key-file}:
 * <ul>
 * <li>{@code <file>}: the active key, the one that signs;</li>
 * <li>{@code <file>.next}: the next key, published in the JWKS before it signs anything;</li>
 * <li>{@code <file>.retired-<epoch second>}: retired keys, published until every token they signed has
 * expired (retirement + the longest token lifetime + a minute of clock skew), deleted at a later rotation.</li>
 * </ul>
 * The key id is the key's RFC 7638 thumbprint. Loaded at startup: a missing or unreadable active key
 * stops the service instead of failing the first login. Only public parameters are ever published.
 * One instance rotates at a time ({@code synchronized}); replicas sharing the directory re-read it every
 * minute, so they publish a new next key within a minute and start signing with it at the same pace.
 */
@Startup
@ApplicationScoped
public class FileTokenSigner implements TokenSigner {

    private static final Logger LOG = Logger.getLogger(FileTokenSigner.class);
    private static final String NEXT = ".next";
    private static final String RETIRED = ".retired-";

    private final Path file;
    private final Clock clock;
    private final Duration retention;

    /** One immutable snapshot of the key set, swapped whole on rotation. */
    private record Ring(ECDSASigner signer, ECKey active, ECKey next, List<Retired> retired) {
    }

    private record Retired(ECKey key, Instant retiredAt, Path file) {
    }

    private volatile Ring ring;

    @Inject
    public FileTokenSigner(IdentityConfig config, Clock clock) {
        this(config.signingKeyFile(), config.generateSigningKey(), clock,
                max(config.accessTokenLifetime(), config.idTokenLifetime()).plusMinutes(1));
    }

    public FileTokenSigner(Path file, boolean generateIfMissing) {
        this(file, generateIfMissing, Clock.systemUTC(), Duration.ofMinutes(6));
    }

    /** @param retention how long a retired key stays published: at least the longest token lifetime */
    public FileTokenSigner(Path file, boolean generateIfMissing, Clock clock, Duration retention) {
        this.file = file;
        this.clock = clock;
        this.retention = retention;
        try {
            Path next = sibling(NEXT);
            if (!Files.exists(file) && Files.exists(next)) {
                // A rotation stopped between its two moves: finish it.
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
            }
            if (!Files.exists(file)) {
                if (!generateIfMissing) {
                    throw new IllegalStateException("the token-signing key file " + file + " does not exist (set "
                            + "PORTCULLIS_IDENTITY_SIGNING_KEY_FILE, or PORTCULLIS_IDENTITY_GENERATE_SIGNING_KEY=true for local development)");
                }
                SigningKeyFile.write(file, (ECPrivateKey) SigningKeyFile.generate().getPrivate());
                LOG.infof("generated a new token-signing key at %s", file);
            }
            this.ring = load();
        } catch (IOException | GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("cannot load the token-signing key from " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String sign(JWTClaimsSet claims, JOSEObjectType type) {
        Ring current = ring;
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(current.active().getKeyID()).type(type).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(current.signer());
        } catch (JOSEException e) {
            throw new IllegalStateException("token signing failed", e);
        }
        return jwt.serialize();
    }

    @Override
    public String keyId() {
        return ring.active().getKeyID();
    }

    @Override
    public JWK publicJwk() {
        return ring.active();
    }

    @Override
    public JWKSet publishedKeys() {
        Ring current = ring;
        Instant now = clock.instant();
        List<JWK> keys = new ArrayList<>();
        keys.add(current.active());
        if (current.next() != null) {
            keys.add(current.next());
        }
        for (Retired retired : current.retired()) {
            if (now.isBefore(retired.retiredAt().plus(retention))) {
                keys.add(retired.key());
            }
        }
        return new JWKSet(keys.stream().map(JWK::toPublicJWK).toList());
    }

    @Override
    public synchronized void rotate() {
        try {
            Path next = sibling(NEXT);
            if (Files.exists(next)) {
                Instant now = clock.instant();
                Files.move(file, sibling(RETIRED + now.getEpochSecond()), StandardCopyOption.ATOMIC_MOVE);
                Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
                LOG.infof("token-signing key rotated: %s is active, %s retired", thumbprintOf(file), ring.active().getKeyID());
            }
            SigningKeyFile.write(next, (ECPrivateKey) SigningKeyFile.generate().getPrivate());
            for (Retired retired : ring.retired()) {
                if (!clock.instant().isBefore(retired.retiredAt().plus(retention))) {
                    Files.deleteIfExists(retired.file());
                }
            }
            ring = load();
            LOG.infof("token-signing key %s published as the next key", ring.next().getKeyID());
        } catch (IOException | GeneralSecurityException | JOSEException e) {
            throw new IllegalStateException("token-signing key rotation failed: " + e.getMessage(), e);
        }
    }

    /** Re-reads the key files (another replica may have rotated); keeps the current ring if they cannot be read. */
    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    synchronized void reload() {
        try {
            ring = load();
        } catch (IOException | GeneralSecurityException | JOSEException | RuntimeException e) {
            LOG.warnf("could not re-read the token-signing keys (keeping the loaded ones): %s", e.getMessage());
        }
    }

    private Ring load() throws IOException, GeneralSecurityException, JOSEException {
        KeyPair active = SigningKeyFile.read(file);
        Path nextFile = sibling(NEXT);
        ECKey next = Files.exists(nextFile) ? publicJwk(SigningKeyFile.read(nextFile)) : null;
        List<Retired> retired = new ArrayList<>();
        String prefix = file.getFileName() + RETIRED;
        try (Stream<Path> siblings = Files.list(file.toAbsolutePath().getParent())) {
            for (Path candidate : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) {
                long epoch;
                try {
                    epoch = Long.parseLong(candidate.getFileName().toString().substring(prefix.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                retired.add(new Retired(publicJwk(SigningKeyFile.read(candidate)), Instant.ofEpochSecond(epoch), candidate));
            }
        }
        retired.sort(Comparator.comparing(Retired::retiredAt).reversed());
        return new Ring(new ECDSASigner((ECPrivateKey) active.getPrivate()), publicJwk(active), next, List.copyOf(retired));
    }

    private String thumbprintOf(Path key) throws IOException, GeneralSecurityException, JOSEException {
        return publicJwk(SigningKeyFile.read(key)).getKeyID();
    }

    private static ECKey publicJwk(KeyPair keys) throws JOSEException {
        ECKey withoutId = new ECKey.Builder(Curve.P_256, (ECPublicKey) keys.getPublic())
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.ES256)
                .build();
        return new ECKey.Builder(withoutId).keyID(withoutId.computeThumbprint().toString()).build();
    }

    private Path sibling(String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
