package dev.portcullis.registry;

import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * One configuration for every {@code @QuarkusTest} here (so the application starts once): freshly
 * generated platform public keys, a demo portfolio shaped like the launcher's (one organization, one
 * property, two doors with their locks' one-time enrollment secrets) and a small failed-attempt limit.
 * Tests read generated values back through the configuration, never through this class's fields.
 */
public class RegistryTestProfile implements io.quarkus.test.junit.QuarkusTestProfile {

    public static final String ORG = "6f0d7a52-0c1e-4c55-9d1c-3b9f0b1a7e01";
    public static final String PROPERTY = "3a1c9e47-5b2d-4f8a-9c6e-1d7b3f5a2e01";
    public static final String TIME_ZONE = "America/New_York";
    public static final String FRONT_DOOR = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a10";
    public static final String FRONT_LOCK = "9c2e4a61-7f3b-4d8e-a5c1-2b6d8f0e3a10";
    public static final String ROOFTOP_DOOR = "0b8f5a3e-1d2c-4e6f-9a7b-5c3d1e2f4a30";
    public static final String ROOFTOP_LOCK = "9c2e4a61-7f3b-4d8e-a5c1-2b6d8f0e3a30";
    public static final int MAX_FAILED_ATTEMPTS = 3;

    /** Generated once per class loader, so that every call sees the same keys and secrets. */
    private static final Map<String, String> OVERRIDES = Map.ofEntries(
            Map.entry("portcullis.platform.signing-public-key", publicKey("Ed25519")),
            Map.entry("portcullis.platform.agreement-public-key", publicKey("X25519")),
            Map.entry("portcullis.enrollment.max-failed-attempts", String.valueOf(MAX_FAILED_ATTEMPTS)),
            Map.entry("portcullis.demo.organization.id", ORG),
            Map.entry("portcullis.demo.organization.name", "Harbor Lofts Management"),
            Map.entry("portcullis.demo.property.id", PROPERTY),
            Map.entry("portcullis.demo.property.name", "Harbor Lofts"),
            Map.entry("portcullis.demo.property.time-zone", TIME_ZONE),
            Map.entry("portcullis.demo.doors[0].id", FRONT_DOOR),
            Map.entry("portcullis.demo.doors[0].name", "Front entrance"),
            Map.entry("portcullis.demo.doors[0].lock-id", FRONT_LOCK),
            Map.entry("portcullis.demo.doors[0].enrollment-secret", secret()),
            Map.entry("portcullis.demo.doors[0].tenant-schedule", "always"),
            Map.entry("portcullis.demo.doors[1].id", ROOFTOP_DOOR),
            Map.entry("portcullis.demo.doors[1].name", "Rooftop terrace"),
            Map.entry("portcullis.demo.doors[1].lock-id", ROOFTOP_LOCK),
            Map.entry("portcullis.demo.doors[1].enrollment-secret", secret()),
            Map.entry("portcullis.demo.doors[1].tenant-schedule", "THU 10:00-11:00"));

    @Override
    public Map<String, String> getConfigOverrides() {
        return OVERRIDES;
    }

    private static String publicKey(String algorithm) {
        try {
            return Base64.getEncoder().encodeToString(
                    KeyPairGenerator.getInstance(algorithm).generateKeyPair().getPublic().getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 192 random bits in hex, like the launcher's demo secrets. */
    public static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
