package dev.portcullis.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.deploy.render.KubeObject;
import dev.portcullis.deploy.schema.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every overlay under k8s/overlays renders and passes every check. */
class OverlaysTest {

    static Stream<String> overlays() throws IOException {
        try (Stream<Path> dirs = Files.list(Checks.K8S.resolve("overlays"))) {
            return dirs.filter(dir -> Files.exists(dir.resolve("kustomization.yaml"))).map(dir -> dir.getFileName().toString())
                    .sorted().toList().stream();
        }
    }

    @Test
    void thereAreTheDevAndProdOverlays() throws IOException {
        assertEquals(List.of("dev", "prod"), overlays().toList());
    }

    @ParameterizedTest
    @MethodSource("overlays")
    void overlayPassesEveryCheck(String overlay) {
        ManifestChecks checks = Checks.get();
        List<KubeObject> objects = Checks.renderOverlay(overlay);

        List<Violation> violations = checks.check(objects);

        assertTrue(violations.isEmpty(), () -> overlay + ": " + violations.size() + " violations:\n"
                + violations.stream().map(Violation::toString).collect(Collectors.joining("\n")));
        // what was checked is the whole mesh, not an empty render
        Set<String> kinds = objects.stream().map(KubeObject::kind).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(kinds.containsAll(Set.of("Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                "NetworkPolicy", "Ingress", "ConfigMap", "Namespace", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster",
                "ServiceMonitor")), () -> "kinds rendered: " + kinds);
        assertEquals(Set.of("identity-service", "policy-service", "command-service", "device-registry", "audit-service"),
                objects.stream().filter(o -> o.kind().equals("Deployment")).map(KubeObject::name).collect(Collectors.toSet()));
    }
}
