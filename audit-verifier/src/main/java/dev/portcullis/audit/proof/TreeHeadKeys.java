package dev.portcullis.audit.proof;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Ed25519 keys of tree heads as PEM: a key file holds a PKCS#8 "PRIVATE KEY" block followed by its
 * "PUBLIC KEY" block (the platform key format; {@code openssl genpkey -algorithm ed25519 -out k.pem &&
 * openssl pkey -in k.pem -pubout >> k.pem}); a published key is the "PUBLIC KEY" block alone. Key ids
 * are base64url of the first 16 bytes of SHA-256 over the SubjectPublicKeyInfo (as for platform keys).
 */
public final class TreeHeadKeys {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private TreeHeadKeys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is part of every Java 15+ platform", e);
        }
    }

    /** Writes a new key file, owner-only (0600); never overwrites. */
    public static KeyPair generate(Path file) {
        KeyPair pair = generate();
        String pem = block("PRIVATE KEY", pair.getPrivate().getEncoded()) + block("PUBLIC KEY", pair.getPublic().getEncoded());
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write tree-head key file " + file, e);
        }
        return pair;
    }

    /** Loads a key file; fails if a block is missing or the public block is not the private key's. */
    public static KeyPair load(Path file) {
        Map<String, byte[]> blocks;
        try {
            blocks = blocks(Files.readString(file, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read tree-head key file " + file, e);
        }
        byte[] pkcs8 = blocks.get("PRIVATE KEY");
        byte[] spki = blocks.get("PUBLIC KEY");
        if (pkcs8 == null || spki == null) {
            throw new IllegalArgumentException(file + " needs a PRIVATE KEY block and its PUBLIC KEY block");
        }
        try {
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey publicKey = factory.generatePublic(new X509EncodedKeySpec(spki));
            byte[] probe = "portcullis/audit/tree-head/key-check".getBytes(StandardCharsets.US_ASCII);
            if (!verify(publicKey, probe, sign(privateKey, probe))) {
                throw new IllegalArgumentException(file + ": the PUBLIC KEY block is not the private key's");
            }
            return new KeyPair(publicKey, privateKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException(file + " does not hold an Ed25519 key: " + e.getMessage(), e);
        }
    }

    /** A published key: the first "PUBLIC KEY" block of {@code pem}. */
    public static PublicKey publicKey(String pem) {
        byte[] spki = blocks(pem).get("PUBLIC KEY");
        if (spki == null) {
            throw new IllegalArgumentException("no PUBLIC KEY block");
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    public static String publicKeyPem(PublicKey key) {
        return block("PUBLIC KEY", key.getEncoded());
    }

    public static String keyId(PublicKey key) {
        byte[] digest = dev.portcullis.audit.chain.EntryHash.sha256().digest(key.getEncoded());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
    }

    public static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not sign with Ed25519", e);
        }
    }

    private static boolean verify(PublicKey key, byte[] message, byte[] signature) throws GeneralSecurityException {
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key);
        verifier.update(message);
        return verifier.verify(signature);
    }

    private static String block(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static Map<String, byte[]> blocks(String text) {
        Map<String, byte[]> blocks = new HashMap<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            blocks.putIfAbsent(matcher.group(1), Base64.getMimeDecoder().decode(matcher.group(2)));
        }
        return blocks;
    }
}
