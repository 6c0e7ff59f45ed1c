package dev.portcullis.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.deploy.policy.DeploymentPolicies;
import dev.portcullis.deploy.render.KubeObject;
import dev.portcullis.deploy.render.Kustomize;
import dev.portcullis.deploy.schema.CoreSchemas;
import dev.portcullis.deploy.schema.CrdSchemas;
import dev.portcullis.deploy.schema.KubernetesModels;
import dev.portcullis.deploy.schema.Violation;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The deliberately broken fixture: each check finds exactly the defects it exists for. */
class BrokenFixtureTest {

    private static List<Violation> violations;

    @BeforeAll
    static void checkTheFixture() {
        ManifestChecks checks = Checks.get();
        List<KubeObject> objects = Kustomize.render(Checks.FIXTURES.resolve("broken"));
        violations = checks.check(objects);
    }

    @Test
    void clientJavaRefusesAnUnknownField() {
        assertFound(CoreSchemas.CHECK, "Deployment careless/unknown-field", "replicaz");
    }

    @Test
    void clientJavaRefusesAMissingRequiredField() {
        assertFound(CoreSchemas.CHECK, "Deployment careless/missing-name", "name");
    }

    @Test
    void clientJavaRefusesAWrongType() {
        assertFound(CoreSchemas.CHECK, "Service careless/wrong-type", "eighty");
    }

    @Test
    void kubernetesModelsRefusesAMissingRequiredField() {
        assertFound(KubernetesModels.CHECK, "Deployment careless/missing-name", "name");
    }

    @Test
    void kubernetesModelsRefusesAWrongType() {
        assertFound(KubernetesModels.CHECK, "Service careless/wrong-type", "port");
    }

    @Test
    void crdSchemaRefusesAWrongType() {
        assertFound(CrdSchemas.CHECK, "KafkaTopic careless/wrong-type", ".spec.partitions: expected integer");
    }

    @Test
    void crdSchemaRefusesAnUnknownField() {
        assertFound(CrdSchemas.CHECK, "KafkaTopic careless/unknown-field", ".spec.retention: unknown field");
    }

    @Test
    void crdSchemaRefusesAMissingRequiredField() {
        assertFound(CrdSchemas.CHECK, "KafkaUser careless/missing-acls", "missing required field acls");
    }

    @Test
    void aKindWithoutSchemaIsNotWavedThrough() {
        assertFound(ManifestChecks.COVERAGE, "Widget careless/unchecked", "no schema");
    }

    @Test
    void deploymentsMustHaveTheThreeProbes() {
        assertFound(DeploymentPolicies.CHECK, "Deployment careless/unknown-field container web", "startupProbe");
        assertFound(DeploymentPolicies.CHECK, "Deployment careless/unknown-field container web", "livenessProbe");
        assertFound(DeploymentPolicies.CHECK, "Deployment careless/unknown-field container web", "readinessProbe");
    }

    @Test
    void deploymentsMustHaveRequestsAndLimits() {
        assertFound(DeploymentPolicies.CHECK, "Deployment careless/unknown-field container web", "no memory limits");
        assertFound(DeploymentPolicies.CHECK, "Deployment careless/unknown-field container web", "no cpu requests");
    }

    @Test
    void deploymentsMustRunNonRootAndLockedDown() {
        String web = "Deployment careless/unknown-field container web";
        assertFound(DeploymentPolicies.CHECK, web, "runAsNonRoot");
        assertFound(DeploymentPolicies.CHECK, web, "allowPrivilegeEscalation");
        assertFound(DeploymentPolicies.CHECK, web, "readOnlyRootFilesystem");
        assertFound(DeploymentPolicies.CHECK, web, "drop ALL");
        assertFound(DeploymentPolicies.CHECK, web, "seccompProfile");
        assertFound(DeploymentPolicies.CHECK, "Deployment careless/unknown-field", "service-account token");
        assertFound(DeploymentPolicies.CHECK, "ServiceAccount careless/token-mounting", "automountServiceAccountToken");
    }

    @Test
    void everyNamespaceNeedsADefaultDenyPolicy() {
        assertFound(DeploymentPolicies.CHECK, "Namespace careless", "default-deny");
    }

    @Test
    void noSecretCarriesData() {
        assertFound(DeploymentPolicies.CHECK, "Secret careless/committed-secret", "Secret with data");
    }

    @Test
    void noImageIsLatestOrUntagged() {
        assertFound(DeploymentPolicies.CHECK, "Deployment careless/unknown-field", "nginx:latest");
        assertFound(DeploymentPolicies.CHECK, "Cluster careless/floating-image", "untagged or :latest");
    }

    private static void assertFound(String check, String object, String text) {
        assertTrue(violations.stream().anyMatch(v -> v.check().equals(check) && v.object().equals(object) && v.message().contains(text)),
                () -> "expected a " + check + " violation of " + object + " mentioning \"" + text + "\"; found:\n"
                        + violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
    }
}
