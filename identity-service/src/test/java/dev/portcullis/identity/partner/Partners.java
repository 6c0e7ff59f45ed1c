package dev.portcullis.identity.partner;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.portcullis.identity.IdentityTestProfile;
import dev.portcullis.identity.account.Accounts;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/** Registers partner clients with fresh keys through the service's own code, and signs what partners sign. */
@ApplicationScoped
public class Partners {

    public static final String TOKEN_ENDPOINT = IdentityTestProfile.ISSUER + "/oauth2/token";

    @Inject
    PartnerClients partners;

    @Inject
    Accounts accounts;

    @Inject
    Clock clock;

    /** A registered partner client and its private key. */
    public record Partner(String clientId, ECKey key) {
    }

    /** A new partner client granted {@code unlock} by each given organization (none: no grant at all). */
    public Partner create(UUID... grantingOrganizations) {
        String clientId = "partner-" + UUID.randomUUID();
        ECKey key = ecKey();
        await(() -> partners.register(clientId, "Test partner", new JWKSet(key.toPublicJWK()).toString(), List.of("unlock")));
        for (UUID organization : grantingOrganizations) {
            await(() -> partners.grant(clientId, organization, List.of("unlock"), null));
        }
        return new Partner(clientId, key);
    }

    public UUID organization() {
        UUID id = UUID.randomUUID();
        await(() -> accounts.upsertOrganization(id, "Org " + id));
        return id;
    }

    public void revoke(Partner partner, UUID organization) {
        await(() -> partners.revoke(partner.clientId(), organization));
    }

    /**
     * The demo partner's key pair for this test JVM: the public JWKS file is configured for DemoSeed by
     * IdentityTestProfile, the private JWK file is read back by tests (files, so that every class loader
     * of the test JVM sees the same key).
     */
    public static synchronized ECKey demoPartnerKey() {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
                "portcullis-identity-test-" + ProcessHandle.current().pid());
        java.nio.file.Path privateFile = dir.resolve("demo-partner-private.jwk");
        try {
            if (java.nio.file.Files.exists(privateFile)) {
                return ECKey.parse(java.nio.file.Files.readString(privateFile));
            }
            java.nio.file.Files.createDirectories(dir);
            ECKey key = ecKey();
            java.nio.file.Files.writeString(dir.resolve("demo-partner.jwks"), new JWKSet(key.toPublicJWK()).toString());
            java.nio.file.Files.writeString(privateFile, key.toJSONString());
            dir.toFile().deleteOnExit();
            dir.resolve("demo-partner.jwks").toFile().deleteOnExit();
            privateFile.toFile().deleteOnExit();
            return key;
        } catch (java.io.IOException | java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWKS file of {@link #demoPartnerKey()}. */
    public static java.nio.file.Path demoPartnerJwksFile() {
        demoPartnerKey();
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "portcullis-identity-test-" + ProcessHandle.current().pid(),
                "demo-partner.jwks");
    }

    public static ECKey ecKey() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid client assertion for the partner, changed by {@code tweak}. */
    public String assertion(Partner partner, Consumer<JWTClaimsSet.Builder> tweak) {
        return assertion(partner.key(), claims(partner.clientId(), tweak));
    }

    public JWTClaimsSet claims(String clientId, Consumer<JWTClaimsSet.Builder> tweak) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(TOKEN_ENDPOINT)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(60)))
                .jwtID(UUID.randomUUID().toString());
        tweak.accept(claims);
        return claims.build();
    }

    public static String assertion(ECKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid DPoP proof for a token request, changed by {@code tweak}. */
    public String proof(ECKey key, Consumer<JWTClaimsSet.Builder> tweak) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim("htm", "POST")
                .claim("htu", TOKEN_ENDPOINT)
                .issueTime(Date.from(clock.instant()))
                .jwtID(UUID.randomUUID().toString());
        tweak.accept(claims);
        return proof(key, new JOSEObjectType("dpop+jwt"), claims.build());
    }

    public static String proof(ECKey key, JOSEObjectType type, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(type).jwk(key.toPublicJWK()).build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    interface Action<T> {
        io.smallrye.mutiny.Uni<T> run();
    }

    static <T> T await(Action<T> action) {
        try {
            return VertxContextSupport.subscribeAndAwait(action::run);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }
}
