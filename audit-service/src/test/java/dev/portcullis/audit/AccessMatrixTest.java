package dev.portcullis.audit;

import static io.restassured.RestAssured.given;

import dev.portcullis.testkit.oidc.TestIssuer;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every REST route as every caller class, against the authorization table in the module README.
 * What each caller then sees (own organization, own entries) is tested in AuditQueryTest.
 */
@QuarkusTest
class AccessMatrixTest {

    private static final UUID ORG = UUID.randomUUID();

    /** Caller class → how its request is authenticated. */
    private static final Map<String, Function<RequestSpecification, RequestSpecification>> CALLERS = Map.of(
            "anonymous", request -> request,
            "tenant", request -> request.auth().oauth2(TestIssuer.shared().token("tenant-" + ORG, ORG.toString()).sign()),
            "partner", request -> request.auth().oauth2(TestIssuer.shared().token("partner-client", ORG.toString(), "partner").sign()),
            "operator", request -> request.auth().oauth2(TestIssuer.shared().token("ops-" + ORG, ORG.toString(), "operator").sign()),
            "operator, other organization", request -> request.auth()
                    .oauth2(TestIssuer.shared().token("ops-other", UUID.randomUUID().toString(), "operator").sign()));

    /** Route → caller class → expected status. */
    private static final Map<String, Map<String, Integer>> TABLE = Map.of(
            "/v1/audit", Map.of("anonymous", 401, "tenant", 200, "partner", 200, "operator", 200,
                    "operator, other organization", 200),
            "/v1/audit/verify", Map.of("anonymous", 401, "tenant", 403, "partner", 403, "operator", 200,
                    "operator, other organization", 200),
            "/v1/audit/export?format=csv", Map.of("anonymous", 401, "tenant", 403, "partner", 403, "operator", 200,
                    "operator, other organization", 200),
            "/v1/audit/tree-heads/key", Map.of("anonymous", 200, "tenant", 200, "partner", 200, "operator", 200,
                    "operator, other organization", 200));
    // Tree heads and proofs (whose 200 depends on the log's state) are checked caller by caller in TreeHeadTest.

    @Test
    void everyRouteAsEveryCaller() {
        TABLE.forEach((route, expected) -> CALLERS.forEach((caller, authenticate) -> {
            Integer status = expected.get(caller);
            if (status == null) {
                throw new AssertionError("the table has no entry for " + caller + " on " + route);
            }
            authenticate.apply(given()).when().get(route).then().statusCode(status);
        }));
    }

    /** Prometheus scrapes this (the ServiceMonitor in k8s/); never routed by the Ingress. */
    @Test
    void prometheusMetricsAreServed() {
        io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes"));
    }
}
