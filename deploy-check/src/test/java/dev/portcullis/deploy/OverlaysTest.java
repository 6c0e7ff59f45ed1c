package dev.portcullis.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.deploy.render.KubeObject;
import dev.portcullis.deploy.schema.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        assertEquals(Set.of("identity-service", "policy-service", "command-service", "device-registry", "audit-service", "console"),
                objects.stream().filter(o -> o.kind().equals("Deployment")).map(KubeObject::name).collect(Collectors.toSet()));
    }

    /** The relay finds a replica by what the downward API gives each pod: its name and its IP. */
    @ParameterizedTest
    @MethodSource("overlays")
    @SuppressWarnings("unchecked")
    void commandReplicasAreNamedAndAddressedByTheirPod(String overlay) {
        KubeObject command = Checks.renderOverlay(overlay).stream()
                .filter(o -> o.kind().equals("Deployment") && o.name().equals("command-service")).findFirst().orElseThrow();
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) command.content().get("spec"))
                .get("template")).get("spec");
        Map<String, Object> container = (Map<String, Object>) ((List<Object>) pod.get("containers")).get(0);
        Map<String, Map<String, Object>> env = new HashMap<>();
        for (Object variable : (List<Object>) container.get("env")) {
            Map<String, Object> v = (Map<String, Object>) variable;
            env.put(String.valueOf(v.get("name")), v);
        }
        assertEquals("metadata.name", fieldPath(env.get("POD_NAME")));
        assertEquals("status.podIP", fieldPath(env.get("POD_IP")));
        assertEquals("$(POD_NAME)", env.get("PORTCULLIS_COMMAND_REPLICA_ID").get("value"));
        assertEquals("$(POD_IP):8083", env.get("PORTCULLIS_COMMAND_REPLICA_ADDRESS").get("value"));
        // $(VAR) only expands variables defined earlier in the list
        List<String> order = ((List<Object>) container.get("env")).stream().map(v -> String.valueOf(((Map<String, Object>) v).get("name"))).toList();
        assertTrue(order.indexOf("POD_NAME") < order.indexOf("PORTCULLIS_COMMAND_REPLICA_ID"));
        assertTrue(order.indexOf("POD_IP") < order.indexOf("PORTCULLIS_COMMAND_REPLICA_ADDRESS"));
    }

    /**
     * Observability (issue 8): each service is scraped by a ServiceMonitor of its own on /q/metrics, and reads
     * observability.properties, which switches tracing on and sends it to the collector the mesh ConfigMap names.
     */
    @ParameterizedTest
    @MethodSource("overlays")
    @SuppressWarnings("unchecked")
    void everyServiceIsScrapedAndExportsTraces(String overlay) {
        List<KubeObject> objects = Checks.renderOverlay(overlay);
        ConfigMaps configMaps = new ConfigMaps(objects);
        String observability = configMaps.data("portcullis-observability").get("observability.properties");
        assertTrue(observability.contains("quarkus.otel.sdk.disabled=false"), observability);
        assertTrue(observability.contains("quarkus.otel.exporter.otlp.traces.endpoint=${PORTCULLIS_OTLP_ENDPOINT}"), observability);
        Map<String, String> mesh = configMaps.data("portcullis-mesh");
        assertTrue(mesh.get("PORTCULLIS_OTLP_ENDPOINT").startsWith("http://"), () -> "collector address " + mesh);
        double ratio = Double.parseDouble(mesh.get("PORTCULLIS_TRACES_SAMPLE_RATIO"));
        assertTrue(ratio > 0 && ratio <= 1, "sample ratio " + ratio);

        for (KubeObject deployment : objects.stream().filter(o -> o.kind().equals("Deployment")).toList()) {
            String service = deployment.name();
            List<KubeObject> monitors = objects.stream().filter(o -> o.kind().equals("ServiceMonitor")
                    && service.equals(((Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) o.content().get("spec"))
                            .get("selector")).get("matchLabels")).get("app.kubernetes.io/name"))).toList();
            assertEquals(1, monitors.size(), service + " has one ServiceMonitor");
            List<Object> endpoints = (List<Object>) ((Map<String, Object>) monitors.get(0).content().get("spec")).get("endpoints");
            assertTrue(endpoints.stream().anyMatch(e -> "/q/metrics".equals(((Map<String, Object>) e).get("path"))), service + " " + endpoints);

            Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) deployment.content().get("spec"))
                    .get("template")).get("spec");
            Map<String, Object> container = (Map<String, Object>) ((List<Object>) pod.get("containers")).get(0);
            assertTrue(String.valueOf(container.get("envFrom")).contains(configMaps.generatedName("portcullis-mesh")),
                    service + " takes the mesh ConfigMap as environment");
            String locations = ((List<Object>) container.get("env")).stream().map(v -> (Map<String, Object>) v)
                    .filter(v -> "QUARKUS_CONFIG_LOCATIONS".equals(v.get("name"))).map(v -> String.valueOf(v.get("value")))
                    .findFirst().orElse("");
            assertTrue(locations.contains("/observability.properties"), service + " reads observability.properties: " + locations);
            assertTrue(String.valueOf(pod.get("volumes")).contains(configMaps.generatedName("portcullis-observability")),
                    service + " mounts the observability ConfigMap");
        }
    }

    /** The rendered ConfigMaps by the name they were generated from (kustomize appends a content hash). */
    private record ConfigMaps(List<KubeObject> objects) {

        KubeObject find(String base) {
            return objects.stream().filter(o -> o.kind().equals("ConfigMap") && o.name().matches(java.util.regex.Pattern.quote(base) + "(-[a-z0-9]+)?"))
                    .findFirst().orElseThrow(() -> new AssertionError("no ConfigMap " + base));
        }

        String generatedName(String base) {
            return find(base).name();
        }

        @SuppressWarnings("unchecked")
        Map<String, String> data(String base) {
            return (Map<String, String>) find(base).content().get("data");
        }
    }

    @SuppressWarnings("unchecked")
    private static Object fieldPath(Map<String, Object> variable) {
        return ((Map<String, Object>) ((Map<String, Object>) variable.get("valueFrom")).get("fieldRef")).get("fieldPath");
    }
}
