package dev.portcullis.identity.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.text.Normalizer;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashing with Argon2id (RFC 9106) through BouncyCastle, stored as a PHC string:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (OWASP's minimum parameters). Hashing costs
 * tens of milliseconds of CPU and 19 MiB: call it from a worker thread, never the event loop.
 * Passwords are NFKC-normalized first (NIST SP 800-63B §5.1.1.2) and never truncated.
 */
public final class Argon2id {

    public static final int MEMORY_KIB = 19456;
    public static final int ITERATIONS = 2;
    public static final int PARALLELISM = 1;
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private Argon2id() {
    }

    public static String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = derive(password, salt, MEMORY_KIB, ITERATIONS, PARALLELISM, HASH_BYTES);
        return "$argon2id$v=19$m=" + MEMORY_KIB + ",t=" + ITERATIONS + ",p=" + PARALLELISM + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(hash);
    }

    /** True when the password matches the PHC string; false for a wrong password or an unreadable hash. */
    public static boolean verify(String password, String phc) {
        Parsed parsed = Parsed.of(phc);
        if (parsed == null) {
            return false;
        }
        byte[] actual = derive(password, parsed.salt, parsed.memory, parsed.iterations, parsed.parallelism, parsed.hash.length);
        return MessageDigest.isEqual(actual, parsed.hash);
    }

    private static byte[] derive(String password, byte[] salt, int memory, int iterations, int parallelism, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memory)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(Normalizer.normalize(password, Normalizer.Form.NFKC).getBytes(StandardCharsets.UTF_8), out);
        return out;
    }

    private record Parsed(int memory, int iterations, int parallelism, byte[] salt, byte[] hash) {

        /** Parses {@code $argon2id$v=19$m=..,t=..,p=..$salt$hash}; null if it is anything else. */
        static Parsed of(String phc) {
            if (phc == null) {
                return null;
            }
            String[] parts = phc.split("\\$");
            if (parts.length != 6 || !parts[0].isEmpty() || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                return null;
            }
            int memory = -1;
            int iterations = -1;
            int parallelism = -1;
            try {
                for (String parameter : parts[3].split(",")) {
                    String[] kv = parameter.split("=", 2);
                    if (kv.length != 2) {
                        return null;
                    }
                    int value = Integer.parseInt(kv[1]);
                    switch (kv[0]) {
                        case "m" -> memory = value;
                        case "t" -> iterations = value;
                        case "p" -> parallelism = value;
                        default -> {
                            return null;
                        }
                    }
                }
                byte[] salt = B64D.decode(parts[4]);
                byte[] hash = B64D.decode(parts[5]);
                // Refuse absurd parameters rather than let a corrupt row exhaust memory.
                if (memory < 8 || memory > 1 << 21 || iterations < 1 || iterations > 16 || parallelism < 1 || parallelism > 16
                        || salt.length < 8 || hash.length < 16 || hash.length > 64) {
                    return null;
                }
                return new Parsed(memory, iterations, parallelism, salt, hash);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
