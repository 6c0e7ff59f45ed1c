package dev.portcullis.lock.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key ids, key decoding, key files and the trust set. */
class KeysTest {

    @TempDir
    Path dir;

    @Test
    void keyIdIsTruncatedSha256OfTheSpki() {
        InMemoryLockKeys keys = InMemoryLockKeys.generate();
        byte[] spki = keys.signingPublicKey().getEncoded();
        String expected = Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(Encoding.sha256(spki), 16));
        assertEquals(expected, KeyIds.of(keys.signingPublicKey()));
        assertEquals(expected, KeyIds.ofSpki(spki));
        assertEquals(22, expected.length());
    }

    @Test
    void publicKeysAreDecodedOnlyFromTheirOneCanonicalEncoding() {
        InMemoryLockKeys keys = InMemoryLockKeys.generate();
        byte[] ed = keys.signingPublicKey().getEncoded();
        byte[] x = keys.agreementPublicKey().getEncoded();
        assertEquals(keys.signingPublicKey(), PublicKeys.ed25519(ed));
        assertEquals(keys.agreementPublicKey(), PublicKeys.x25519(x));
        assertThrows(IllegalArgumentException.class, () -> PublicKeys.ed25519(x));
        assertThrows(IllegalArgumentException.class, () -> PublicKeys.x25519(ed));
        assertThrows(IllegalArgumentException.class, () -> PublicKeys.ed25519(Arrays.copyOf(ed, ed.length + 1)));
        assertThrows(IllegalArgumentException.class, () -> PublicKeys.ed25519(Arrays.copyOf(ed, ed.length - 1)));
        assertThrows(IllegalArgumentException.class, () -> PublicKeys.ed25519(new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> PublicKeys.x25519(null));
    }

    @Test
    void platformKeyFilesAreGeneratedOwnerOnlyLoadedAndNeverOverwritten() {
        Path signing = dir.resolve("keys/signing.pem");
        Path agreement = dir.resolve("keys/agreement.pem");
        FilePlatformKeys generated = FilePlatformKeys.generate(signing, agreement);
        FilePlatformKeys loaded = FilePlatformKeys.load(signing, agreement);
        assertEquals(generated.signingKeyId(), loaded.signingKeyId());
        assertEquals(generated.agreementKeyId(), loaded.agreementKeyId());
        byte[] message = Encoding.utf8("message");
        assertEquals(true, KeyMaterial.verify(generated.signingPublicKey(), message, loaded.sign(message)));
        assertThrows(IllegalStateException.class, () -> FilePlatformKeys.generate(signing, dir.resolve("keys/other.pem")));
        assertEquals(generated.signingKeyId(), FilePlatformKeys.load(signing, agreement).signingKeyId());
        if (supportsPosix()) {
            for (Path file : List.of(signing, agreement)) {
                assertEquals("rw-------", PosixFilePermissions.toString(uncheckedPermissions(file)));
            }
        }
    }

    @Test
    void lockKeysRoundTripThroughPemAndPkcs8() {
        InMemoryLockKeys keys = InMemoryLockKeys.generate();
        keys.store(dir.resolve("s.pem"), dir.resolve("a.pem"));
        InMemoryLockKeys loaded = InMemoryLockKeys.load(dir.resolve("s.pem"), dir.resolve("a.pem"));
        InMemoryLockKeys decoded = InMemoryLockKeys.fromEncoded(keys.signingPrivateKeyPkcs8(), keys.signingPublicKey().getEncoded(),
                keys.agreementPrivateKeyPkcs8());
        for (InMemoryLockKeys copy : List.of(loaded, decoded)) {
            assertEquals(keys.signingKeyId(), copy.signingKeyId());
            assertEquals(keys.agreementKeyId(), copy.agreementKeyId());
            InMemoryPlatformKeys platform = InMemoryPlatformKeys.generate();
            assertArrayEquals(keys.agree(platform.agreementPublicKey()), copy.agree(platform.agreementPublicKey()));
        }
        assertThrows(RuntimeException.class, () -> keys.store(dir.resolve("s.pem"), dir.resolve("a2.pem")));
    }

    @Test
    void mismatchedOrWrongAlgorithmKeyPairsAreRefused() throws Exception {
        KeyPair ed1 = KeyMaterial.generateEd25519();
        KeyPair ed2 = KeyMaterial.generateEd25519();
        KeyPair x1 = KeyMaterial.generateX25519();
        KeyPair x2 = KeyMaterial.generateX25519();
        assertThrows(IllegalArgumentException.class, () -> new InMemoryLockKeys(new KeyPair(ed1.getPublic(), ed2.getPrivate()), x1));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryLockKeys(ed1, new KeyPair(x1.getPublic(), x2.getPrivate())));
        assertThrows(IllegalArgumentException.class, () -> new InMemoryPlatformKeys(x1, ed1));

        // A PEM file whose public block belongs to another key.
        Path pem = dir.resolve("mixed.pem");
        Files.writeString(pem, PemKeyFiles.encode(new KeyPair(ed2.getPublic(), ed1.getPrivate())));
        assertThrows(IllegalArgumentException.class, () -> PemKeyFiles.readEd25519(pem));
    }

    @Test
    void trustSetAcceptsOnlyTheRightAlgorithmsAndRevocationWins() {
        InMemoryPlatformKeys platform = InMemoryPlatformKeys.generate();
        assertThrows(IllegalArgumentException.class,
                () -> new TrustedPlatformKeys(platform.agreementPublicKey(), platform.agreementPublicKey()));
        assertThrows(IllegalArgumentException.class,
                () -> new TrustedPlatformKeys(platform.signingPublicKey(), platform.signingPublicKey()));
        assertThrows(IllegalArgumentException.class, () -> new TrustedPlatformKeys(List.of(), List.of(platform.agreementPublicKey()), Set.of()));
        TrustedPlatformKeys trusted = new TrustedPlatformKeys(platform.signingPublicKey(), platform.agreementPublicKey())
                .revoke(platform.signingKeyId());
        assertEquals(true, trusted.isRevoked(platform.signingKeyId()));
        assertEquals(true, trusted.signingKey(platform.signingKeyId()).isPresent());
    }

    @Test
    void lockIdentityRefusesWrongKeys() {
        InMemoryLockKeys keys = InMemoryLockKeys.generate();
        assertThrows(IllegalArgumentException.class, () -> new LockIdentity("", keys.signingPublicKey(), keys.agreementPublicKey(), 1));
        assertThrows(IllegalArgumentException.class, () -> new LockIdentity("l", keys.agreementPublicKey(), keys.agreementPublicKey(), 1));
        assertThrows(IllegalArgumentException.class, () -> new LockIdentity("l", keys.signingPublicKey(), keys.signingPublicKey(), 1));
        assertThrows(IllegalArgumentException.class, () -> new LockIdentity("l", keys.signingPublicKey(), keys.agreementPublicKey(), -1));
    }

    private boolean supportsPosix() {
        try {
            return Files.getFileStore(dir).supportsFileAttributeView("posix");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static java.util.Set<java.nio.file.attribute.PosixFilePermission> uncheckedPermissions(Path file) {
        try {
            return Files.getPosixFilePermissions(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
