package dev.portcullis.testkit.oidc;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Points quarkus-oidc at the shared {@link TestIssuer}. */
public class TestIssuerResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        TestIssuer issuer = TestIssuer.shared();
        return Map.of("quarkus.oidc.auth-server-url", issuer.issuer(),
                "quarkus.oidc.token.issuer", issuer.issuer());
    }

    @Override
    public void stop() {
        // shared for the whole JVM; stopped at exit
    }
}
