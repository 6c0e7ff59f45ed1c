package dev.portcullis.testkit.oidc;

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
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * A real OIDC issuer on loopback for service tests: it serves a discovery document and a JWKS over
 * HTTP, and mints ES256 access tokens shaped like identity-service's (RFC 9068 {@code at+jwt}, with
 * {@code org}, {@code roles}, {@code amr}, {@code acr}, {@code auth_time}). It can also mint the bad
 * tokens a resource server must refuse: foreign key, unknown {@code kid}, HS256 keyed with the public key,
 * wrong issuer, wrong audience, expired, {@code alg: none}, ID-token {@code typ}.
 * It stands in for identity-service only in per-service tests; the end-to-end suite uses the real one.
 */
public final class TestIssuer implements AutoCloseable {

    public static final String AUDIENCE = "portcullis-api";

    private static TestIssuer shared;

    private final HttpServer server;
    private final ECKey key;
    private final String issuer;

    private TestIssuer() throws IOException, JOSEException {
        key = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", exchange -> json(exchange, """
                {"issuer":"%1$s","jwks_uri":"%1$s/jwks","authorization_endpoint":"%1$s/authorize",
                 "token_endpoint":"%1$s/token","response_types_supported":["code"],"subject_types_supported":["public"],
                 "id_token_signing_alg_values_supported":["ES256"]}""".formatted(issuer)));
        server.createContext("/jwks", exchange -> json(exchange, new JWKSet(key.toPublicJWK()).toString()));
        server.start();
    }

    /** The issuer shared by every test in this JVM (started on first use). */
    public static synchronized TestIssuer shared() {
        if (shared == null) {
            try {
                shared = new TestIssuer();
            } catch (IOException | JOSEException e) {
                throw new IllegalStateException("could not start the test issuer", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close));
        }
        return shared;
    }

    public String issuer() {
        return issuer;
    }

    /** A token for a person of an organization, authenticated with password + TOTP just now. */
    public Token token(String subject, String organizationId, String... roles) {
        return new Token(this).subject(subject).organization(organizationId).roles(roles);
    }

    // --- partner tokens (issue 3, partners): shaped like identity-service's client-credentials tokens ---

    /** A partner client's client-credentials token: {@code sub} = client id, no {@code org}, the granting {@code orgs}. */
    public Token partner(String clientId, String scope, String... organizationIds) {
        return new Token(this).subject(clientId).claim("client_id", clientId).claim("scope", scope)
                .claim("orgs", List.of(organizationIds)).claim("amr", null).claim("acr", null);
    }

    private static void json(HttpExchange exchange, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** A token being built; {@link #sign()} gives the compact JWT. */
    public static final class Token {
        private final TestIssuer owner;
        private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder();
        private Duration lifetime = Duration.ofMinutes(5);
        private Instant issuedAt = Instant.now();
        private String issuer;
        private ECKey signingKey;
        private JOSEObjectType type = new JOSEObjectType("at+jwt");
        private boolean hmacWithPublicKey;

        private Token(TestIssuer owner) {
            this.owner = owner;
            this.issuer = owner.issuer;
            this.signingKey = owner.key;
            claims.audience(AUDIENCE)
                    .claim("amr", List.of("pwd", "otp", "mfa"))
                    .claim("acr", "aal2")
                    .claim("client_id", "portcullis-cli")
                    .jwtID(UUID.randomUUID().toString());
        }

        public Token subject(String subject) {
            claims.subject(subject);
            return this;
        }

        public Token organization(String organizationId) {
            claims.claim("org", organizationId);
            return this;
        }

        public Token roles(String... roles) {
            claims.claim("roles", List.of(roles));
            return this;
        }

        public Token claim(String name, Object value) {
            claims.claim(name, value);
            return this;
        }

        public Token audience(String audience) {
            claims.audience(audience);
            return this;
        }

        public Token issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Token type(String type) {
            this.type = type == null ? null : new JOSEObjectType(type);
            return this;
        }

        /** Binds the token to a DPoP key: {@code cnf.jkt} is the key's RFC 7638 thumbprint (see {@link TestDpop}). */
        public Token boundTo(String jwkThumbprint) {
            claims.claim("cnf", java.util.Map.of("jkt", jwkThumbprint));
            return this;
        }

        /** Issued {@code ago} in the past with the given lifetime (use to make expired tokens). */
        public Token issuedAgo(Duration ago, Duration lifetime) {
            this.issuedAt = Instant.now().minus(ago);
            this.lifetime = lifetime;
            return this;
        }

        /** Signed by a key the issuer never published. */
        public Token foreignKey() {
            try {
                this.signingKey = new ECKeyGenerator(Curve.P_256).keyID(owner.key.getKeyID()).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        /** Signed by a key with a {@code kid} the issuer never published (a verifier finds no key for it). */
        public Token unknownKeyId() {
            try {
                this.signingKey = new ECKeyGenerator(Curve.P_256).keyID(UUID.randomUUID().toString()).generate();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
            return this;
        }

        /**
         * {@code alg: HS256} with the issuer's published public key (its PEM text) as the HMAC secret: the
         * algorithm-confusion attack on verifiers that take the algorithm from the token.
         */
        public Token hs256WithPublicKey() {
            this.hmacWithPublicKey = true;
            return this;
        }

        public String sign() {
            Instant auth = issuedAt;
            JWTClaimsSet set = claims.issuer(issuer)
                    .issueTime(Date.from(issuedAt))
                    .notBeforeTime(Date.from(issuedAt))
                    .expirationTime(Date.from(issuedAt.plus(lifetime)))
                    .claim("auth_time", auth.getEpochSecond())
                    .build();
            try {
                if (hmacWithPublicKey) {
                    String pem = "-----BEGIN PUBLIC KEY-----\n"
                            + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                    .encodeToString(owner.key.toECPublicKey().getEncoded())
                            + "\n-----END PUBLIC KEY-----\n";
                    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(owner.key.getKeyID()).type(type).build(), set);
                    jwt.sign(new com.nimbusds.jose.crypto.MACSigner(pem.getBytes(StandardCharsets.US_ASCII)));
                    return jwt.serialize();
                }
                SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID()).type(type).build(), set);
                jwt.sign(new ECDSASigner(signingKey));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The same claims with {@code alg: none} and no signature. */
        public String unsigned() {
            String header = java.util.Base64.getUrlEncoder().withoutPadding()
                    .encodeToString("{\"alg\":\"none\",\"typ\":\"at+jwt\"}".getBytes(StandardCharsets.UTF_8));
            String signed = sign();
            return header + "." + signed.split("\\.")[1] + ".";
        }
    }
}
