package dev.portcullis.lock.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Key files: a PEM "PRIVATE KEY" block (PKCS#8, RFC 5208/5958) followed by a PEM "PUBLIC KEY" block
 * (X.509 SubjectPublicKeyInfo), as {@code openssl genpkey -algorithm ed25519 -out k.pem &&
 * openssl pkey -in k.pem -pubout >> k.pem} writes. For X25519 the public block may be absent (it is
 * derived); for Ed25519 it is required, because the JDK cannot derive it.
 */
final class PemKeyFiles {

    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");

    private PemKeyFiles() {
    }

    static String encode(KeyPair pair) {
        return block("PRIVATE KEY", pair.getPrivate().getEncoded()) + block("PUBLIC KEY", pair.getPublic().getEncoded());
    }

    static void write(Path file, KeyPair pair) {
        PrivateFiles.write(file, encode(pair).getBytes(StandardCharsets.US_ASCII), false);
    }

    static KeyPair readEd25519(Path file) {
        Map<String, byte[]> blocks = read(file);
        PrivateKey privateKey = KeyMaterial.ed25519Private(required(blocks, "PRIVATE KEY", file));
        byte[] spki = blocks.get("PUBLIC KEY");
        if (spki == null) {
            throw new IllegalArgumentException(file + " has no PUBLIC KEY block; append it with: openssl pkey -in "
                    + file.getFileName() + " -pubout >> " + file.getFileName());
        }
        try {
            return KeyMaterial.checkedEd25519(new KeyPair(PublicKeys.ed25519(spki), privateKey));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    static KeyPair readX25519(Path file) {
        Map<String, byte[]> blocks = read(file);
        PrivateKey privateKey = KeyMaterial.x25519Private(required(blocks, "PRIVATE KEY", file));
        byte[] spki = blocks.get("PUBLIC KEY");
        PublicKey publicKey = spki == null ? KeyMaterial.x25519PublicOf(privateKey) : PublicKeys.x25519(spki);
        try {
            return KeyMaterial.checkedX25519(new KeyPair(publicKey, privateKey));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, byte[]> read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read key file " + file, e);
        }
        Map<String, byte[]> blocks = new LinkedHashMap<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            String label = matcher.group(1);
            if (blocks.containsKey(label)) {
                throw new IllegalArgumentException(file + " has more than one " + label + " block");
            }
            blocks.put(label, Base64.getMimeDecoder().decode(matcher.group(2)));
        }
        return blocks;
    }

    private static byte[] required(Map<String, byte[]> blocks, String label, Path file) {
        byte[] der = blocks.get(label);
        if (der == null) {
            throw new IllegalArgumentException(file + " has no " + label + " block");
        }
        return der;
    }

    private static String block(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }
}
