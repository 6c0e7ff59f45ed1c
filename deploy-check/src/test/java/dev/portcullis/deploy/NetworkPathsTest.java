package dev.portcullis.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.portcullis.deploy.render.KubeObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The rendered NetworkPolicies and Ingresses allow exactly the paths of the design between the services
 * and from outside: a policy widened by mistake (an empty selector, one more peer) fails here.
 */
class NetworkPathsTest {

    private static final Set<String> SERVICES = Set.of("identity-service", "policy-service", "command-service", "device-registry",
            "audit-service", "console");

    /** caller -> callee, the design's service-to-service calls (gRPC, relay, OIDC JWKS). */
    private static final Set<String> CALLS = Set.of(
            "command-service -> policy-service",
            "command-service -> device-registry",
            "command-service -> command-service",
            "command-service -> identity-service",
            "policy-service -> identity-service",
            "device-registry -> identity-service",
            "device-registry -> command-service",
            "device-registry -> policy-service",
            "audit-service -> identity-service",
            // the console calls the same APIs partners use, with the signed-in person's token
            "console -> identity-service",
            "console -> policy-service",
            "console -> command-service",
            "console -> device-registry",
            "console -> audit-service");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void servicesReachExactlyTheServicesTheyCall(String overlay) {
        List<KubeObject> objects = Checks.renderOverlay(overlay);
        Map<String, Map<String, Object>> podLabels = podLabels(objects);
        assertEquals(SERVICES, podLabels.keySet());

        Set<String> ingress = new TreeSet<>();
        Set<String> egress = new TreeSet<>();
        for (KubeObject policy : objects.stream().filter(o -> o.kind().equals("NetworkPolicy")).toList()) {
            Map<String, Object> spec = map(policy.content().get("spec"));
            for (String selected : matching(map(spec.get("podSelector")), podLabels)) {
                for (Object rule : list(spec.get("ingress"))) {
                    for (Object peer : list(map(rule).get("from"))) {
                        if (!map(peer).containsKey("namespaceSelector") && !map(peer).containsKey("ipBlock")) {
                            matching(map(map(peer).get("podSelector")), podLabels).forEach(source -> ingress.add(source + " -> " + selected));
                        }
                    }
                }
                for (Object rule : list(spec.get("egress"))) {
                    for (Object peer : list(map(rule).get("to"))) {
                        if (!map(peer).containsKey("namespaceSelector") && !map(peer).containsKey("ipBlock")) {
                            matching(map(map(peer).get("podSelector")), podLabels).forEach(target -> egress.add(selected + " -> " + target));
                        }
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(CALLS), ingress, "ingress allowed between services");
        assertEquals(new TreeSet<>(CALLS), egress, "egress allowed between services");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void onlyThePublicServicesAreRoutedFromOutside(String overlay) {
        List<KubeObject> objects = Checks.renderOverlay(overlay);
        Map<String, Set<String>> routes = new HashMap<>();
        for (KubeObject ingress : objects.stream().filter(o -> o.kind().equals("Ingress")).toList()) {
            for (Object rule : list(map(ingress.content().get("spec")).get("rules"))) {
                for (Object path : list(map(map(rule).get("http")).get("paths"))) {
                    String service = String.valueOf(map(map(map(path).get("backend")).get("service")).get("name"));
                    routes.computeIfAbsent(service, s -> new TreeSet<>()).add(String.valueOf(map(path).get("path")));
                }
            }
        }
        assertEquals(Set.of("identity-service", "command-service", "device-registry", "audit-service", "console"), routes.keySet());
        assertEquals(Set.of("/v1", "/portcullis.unlock.v1.UnlockService/", "/portcullis.gateway.v1.LockGateway/"),
                routes.get("command-service"));
        assertTrue(routes.values().stream().flatMap(Set::stream).noneMatch(path -> path.startsWith("/portcullis.command.")),
                "the replica relay (portcullis.command.v1.CommandRelay) is never routed from outside");

        // and the network lets the ingress controller reach exactly those five
        Set<String> fromIngressController = objects.stream().filter(o -> o.kind().equals("NetworkPolicy"))
                .filter(o -> list(map(o.content().get("spec")).get("ingress")).stream()
                        .flatMap(rule -> list(map(rule).get("from")).stream())
                        .anyMatch(peer -> "ingress-nginx".equals(map(map(map(peer).get("namespaceSelector")).get("matchLabels"))
                                .get("kubernetes.io/metadata.name"))))
                .flatMap(o -> matching(map(map(o.content().get("spec")).get("podSelector")), podLabels(objects)).stream())
                .collect(Collectors.toSet());
        assertEquals(routes.keySet(), fromIngressController);
    }

    private static Map<String, Map<String, Object>> podLabels(List<KubeObject> objects) {
        Map<String, Map<String, Object>> labels = new HashMap<>();
        objects.stream().filter(o -> o.kind().equals("Deployment")).forEach(deployment -> labels.put(deployment.name(),
                map(map(map(map(deployment.content().get("spec")).get("template")).get("metadata")).get("labels"))));
        return labels;
    }

    /** The services whose pods a selector (matchLabels only; an empty selector selects all) selects. */
    private static Set<String> matching(Map<String, Object> selector, Map<String, Map<String, Object>> podLabels) {
        assertTrue(!selector.containsKey("matchExpressions"), "matchExpressions are not used in these policies");
        Map<String, Object> required = map(selector.get("matchLabels"));
        return podLabels.entrySet().stream().filter(pod -> pod.getValue().entrySet().containsAll(required.entrySet()))
                .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> list ? list : List.of();
    }
}
