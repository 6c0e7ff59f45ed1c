package dev.portcullis.identity;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * One configuration for every {@code @QuarkusTest} here (so the application starts once): the demo
 * organization and tenant, the e2e client, a signing key generated into a temporary file and a
 * random data key.
 */
public class IdentityTestProfile implements QuarkusTestProfile {

    public static final String ISSUER = "http://localhost:18081";
    public static final String ORG = "6f0d7a52-0c1e-4c55-9d1c-3b9f0b1a7e01";
    public static final String TENANT = "5d3c2b1a-9e8f-4d7c-b6a5-4f3e2d1c0b01";
    public static final String TENANT_USERNAME = "alex@harborlofts.example";
    public static final String TENANT_PASSWORD = "correct horse battery staple";
    /** RFC 6238's SHA-1 test seed "12345678901234567890" in base32. */
    public static final String TENANT_TOTP = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    public static final String OPERATOR = "5d3c2b1a-9e8f-4d7c-b6a5-4f3e2d1c0b0f";
    public static final String OPERATOR_USERNAME = "ops@harborlofts.example";
    public static final String OPERATOR_PASSWORD = "operator pass phrase for tests";
    public static final String OPERATOR_TOTP = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    static final Path KEY_FILE;
    static final String DATA_KEY;

    static {
        try {
            Path dir = Files.createTempDirectory("identity-test-");
            dir.toFile().deleteOnExit();
            KEY_FILE = dir.resolve("signing-key.pem");
            KEY_FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        DATA_KEY = Base64.getEncoder().encodeToString(key);
    }

    /** The operator console's callback the demo seeding registers for {@code portcullis-console}. */
    public static final String CONSOLE_REDIRECT = "http://localhost:18087/callback";

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.ofEntries(
                Map.entry("portcullis.identity.issuer", ISSUER),
                Map.entry("portcullis.identity.signing-key-file", KEY_FILE.toString()),
                Map.entry("portcullis.identity.generate-signing-key", "true"),
                Map.entry("portcullis.identity.data-key", DATA_KEY),
                Map.entry("portcullis.identity.seed-e2e-client", "true"),
                Map.entry("portcullis.identity.demo-console-redirect-uri", CONSOLE_REDIRECT),
                Map.entry("portcullis.demo.organization.id", ORG),
                Map.entry("portcullis.demo.organization.name", "Harbor Lofts Management"),
                Map.entry("portcullis.demo.tenant.id", TENANT),
                Map.entry("portcullis.demo.tenant.username", TENANT_USERNAME),
                Map.entry("portcullis.demo.tenant.display-name", "Alex Tenant"),
                Map.entry("portcullis.demo.tenant.password", TENANT_PASSWORD),
                Map.entry("portcullis.demo.tenant.totp-secret", TENANT_TOTP),
                Map.entry("portcullis.demo.operator.id", OPERATOR),
                Map.entry("portcullis.demo.operator.username", OPERATOR_USERNAME),
                Map.entry("portcullis.demo.operator.display-name", "Olivia Operator"),
                Map.entry("portcullis.demo.operator.password", OPERATOR_PASSWORD),
                Map.entry("portcullis.demo.operator.totp-secret", OPERATOR_TOTP),
                // The tests reach the service through 127.0.0.1 and name their sources in X-Forwarded-For.
                Map.entry("portcullis.identity.throttle.trusted-proxies", "127.0.0.1,::1"),
                Map.entry("portcullis.identity.partners.demo-jwks-file",
                        dev.portcullis.identity.partner.Partners.demoPartnerJwksFile().toString()));
    }
}
