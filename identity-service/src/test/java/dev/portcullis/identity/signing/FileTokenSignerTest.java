package dev.portcullis.identity.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTokenSignerTest {

    @TempDir
    Path dir;

    @Test
    void generatesAKeyFileReadableOnlyByTheOwnerAndReloadsTheSameKey() throws Exception {
        Path file = dir.resolve("keys/signing.pem");
        FileTokenSigner first = new FileTokenSigner(file, true);
        assertTrue(Files.exists(file));
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE), Files.getPosixFilePermissions(file));
        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        FileTokenSigner second = new FileTokenSigner(file, true);
        assertEquals(first.keyId(), second.keyId());
        assertEquals(first.publicJwk(), second.publicJwk());
        try (var listing = Files.list(file.getParent())) {
            assertEquals(1, listing.count(), "no temporary file is left behind");
        }
    }

    @Test
    void aMissingKeyIsAnErrorUnlessGenerationIsAllowed() {
        Path file = dir.resolve("absent.pem");
        IllegalStateException failure = assertThrows(IllegalStateException.class, () -> new FileTokenSigner(file, false));
        assertTrue(failure.getMessage().contains("PORTCULLIS_IDENTITY_SIGNING_KEY_FILE"));
        assertFalse(Files.exists(file));
    }

    @Test
    void signsEs256WithKidAndTypeVerifiableWithThePublishedKeyOnly() throws Exception {
        FileTokenSigner signer = new FileTokenSigner(dir.resolve("k.pem"), true);
        ECKey published = (ECKey) signer.publicJwk();
        assertFalse(published.isPrivate());
        assertEquals(KeyUse.SIGNATURE, published.getKeyUse());
        assertEquals(JWSAlgorithm.ES256, published.getAlgorithm());
        assertEquals(published.computeThumbprint().toString(), signer.keyId());

        String token = signer.sign(new JWTClaimsSet.Builder().subject("s").build(), new JOSEObjectType("at+jwt"));
        SignedJWT jwt = SignedJWT.parse(token);
        assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
        assertEquals(signer.keyId(), jwt.getHeader().getKeyID());
        assertEquals("at+jwt", jwt.getHeader().getType().getType());
        assertTrue(jwt.verify(new ECDSAVerifier(published)));
    }

    @Test
    void readsAPkcs8KeyWrittenByOtherToolsAndDerivesItsPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        var pair = generator.generateKeyPair();
        Path file = dir.resolve("external.pem");
        Files.writeString(file, pem(pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        FileTokenSigner signer = new FileTokenSigner(file, false);
        assertEquals(pair.getPublic(), ((ECKey) signer.publicJwk()).toECPublicKey());
    }

    @Test
    void refusesKeysOtherThanP256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));
        Path file = dir.resolve("p384.pem");
        Files.writeString(file, pem(generator.generateKeyPair().getPrivate().getEncoded()), StandardCharsets.US_ASCII);
        assertThrows(IllegalStateException.class, () -> new FileTokenSigner(file, true));

        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "not a key");
        assertThrows(IllegalStateException.class, () -> new FileTokenSigner(garbage, true));
    }

    @Test
    void differentFilesMeanDifferentKeys() {
        assertNotEquals(new FileTokenSigner(dir.resolve("a.pem"), true).keyId(), new FileTokenSigner(dir.resolve("b.pem"), true).keyId());
    }

    @Test
    void rotationPublishesTheNextKeyFirstAndKeepsRetiredKeysForTheRetention() throws Exception {
        java.time.Instant start = java.time.Instant.parse("2030-01-01T00:00:00Z");
        java.util.concurrent.atomic.AtomicReference<java.time.Instant> now = new java.util.concurrent.atomic.AtomicReference<>(start);
        java.time.Clock clock = new java.time.Clock() {
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            public java.time.Instant instant() {
                return now.get();
            }
        };
        Path file = dir.resolve("ring/signing.pem");
        java.time.Duration retention = java.time.Duration.ofMinutes(6);
        FileTokenSigner signer = new FileTokenSigner(file, true, clock, retention);
        String a = signer.keyId();
        assertEquals(Set.of(a), kids(signer));

        signer.rotate(); // no next key yet: only publishes one
        assertEquals(a, signer.keyId());
        assertEquals(2, kids(signer).size());
        String b = kids(signer).stream().filter(k -> !k.equals(a)).findFirst().orElseThrow();
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(file.resolveSibling("signing.pem.next")));

        signer.rotate();
        assertEquals(b, signer.keyId(), "the published next key becomes active");
        assertTrue(kids(signer).containsAll(Set.of(a, b)));
        assertEquals(3, kids(signer).size());
        assertTrue(signer.publishedKeys().getKeys().stream().noneMatch(k -> k.isPrivate()));
        String token = signer.sign(new JWTClaimsSet.Builder().subject("s").build(), JOSEObjectType.JWT);
        assertEquals(b, SignedJWT.parse(token).getHeader().getKeyID());

        // A restart reads the same ring.
        FileTokenSigner reloaded = new FileTokenSigner(file, false, clock, retention);
        assertEquals(b, reloaded.keyId());
        assertEquals(kids(signer), kids(reloaded));

        now.set(start.plus(retention).minusSeconds(1));
        assertTrue(kids(signer).contains(a), "still within the retention");
        now.set(start.plus(retention));
        assertFalse(kids(signer).contains(a), "unpublished after the retention");
        signer.rotate();
        try (var listing = Files.list(file.getParent())) {
            assertEquals(3, listing.count(), "the expired retired key file is deleted; active, next and one retired remain");
        }
    }

    private static Set<String> kids(FileTokenSigner signer) {
        return signer.publishedKeys().getKeys().stream().map(k -> k.getKeyID()).collect(java.util.stream.Collectors.toSet());
    }

    private static String pem(byte[] der) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END PRIVATE KEY-----\n";
    }
}
