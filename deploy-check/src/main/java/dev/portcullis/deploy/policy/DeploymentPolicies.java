package dev.portcullis.deploy.policy;

import dev.portcullis.deploy.render.KubeObject;
import dev.portcullis.deploy.schema.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The platform's rules for what it deploys: every Deployment is probed (startup, liveness, readiness on
 * SmallRye Health), bounded (requests and limits), non-root with a read-only root filesystem, no privilege
 * escalation, no capabilities, the runtime's seccomp profile and no service-account token; every namespace
 * denies all traffic by default; no Secret carries data; no image is untagged or {@code :latest}.
 */
public final class DeploymentPolicies {

    public static final String CHECK = "policy";

    private static final Map<String, String> PROBES = Map.of(
            "startupProbe", "/q/health/started",
            "livenessProbe", "/q/health/live",
            "readinessProbe", "/q/health/ready");

    private DeploymentPolicies() {
    }

    public static List<Violation> check(List<KubeObject> objects) {
        List<Violation> violations = new ArrayList<>();
        for (KubeObject object : objects) {
            switch (object.kind()) {
                case "Deployment" -> checkDeployment(object, violations);
                case "Secret" -> {
                    if (object.content().containsKey("data") || object.content().containsKey("stringData")) {
                        violations.add(new Violation(object.id(), CHECK, "a Secret with data in the manifests (create it on the cluster)"));
                    }
                }
                case "ServiceAccount" -> {
                    if (!Boolean.FALSE.equals(object.content().get("automountServiceAccountToken"))) {
                        violations.add(new Violation(object.id(), CHECK, "automountServiceAccountToken is not false"));
                    }
                }
                default -> {
                }
            }
            checkImages(object, object.content(), violations);
        }
        checkDefaultDeny(objects, violations);
        return violations;
    }

    private static void checkDeployment(KubeObject deployment, List<Violation> violations) {
        Map<String, Object> pod = map(map(map(deployment.content().get("spec")).get("template")).get("spec"));
        Map<String, Object> podSecurity = map(pod.get("securityContext"));
        if (!Boolean.FALSE.equals(pod.get("automountServiceAccountToken"))) {
            violations.add(new Violation(deployment.id(), CHECK, "the pod mounts a service-account token (automountServiceAccountToken is not false)"));
        }
        List<Object> containers = new ArrayList<>(list(pod.get("containers")));
        containers.addAll(list(pod.get("initContainers")));
        if (containers.isEmpty()) {
            violations.add(new Violation(deployment.id(), CHECK, "no containers"));
        }
        for (Object c : containers) {
            Map<String, Object> container = map(c);
            String where = deployment.id() + " container " + container.get("name");
            boolean init = list(pod.get("initContainers")).contains(c);
            if (!init) {
                PROBES.forEach((probe, path) -> {
                    Object actual = map(map(container.get(probe)).get("httpGet")).get("path");
                    if (!path.equals(actual)) {
                        violations.add(new Violation(where, CHECK, probe + " is not an HTTP GET of " + path + " (found " + actual + ")"));
                    }
                });
            }
            Map<String, Object> resources = map(container.get("resources"));
            for (String bound : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (map(resources.get(bound)).get(resource) == null) {
                        violations.add(new Violation(where, CHECK, "no " + resource + " " + bound));
                    }
                }
            }
            Map<String, Object> security = map(container.get("securityContext"));
            if (!Boolean.TRUE.equals(security.getOrDefault("runAsNonRoot", podSecurity.get("runAsNonRoot")))) {
                violations.add(new Violation(where, CHECK, "runAsNonRoot is not true"));
            }
            Object user = security.getOrDefault("runAsUser", podSecurity.get("runAsUser"));
            if (user instanceof Number uid && uid.longValue() == 0) {
                violations.add(new Violation(where, CHECK, "runs as user 0"));
            }
            if (!Boolean.FALSE.equals(security.get("allowPrivilegeEscalation"))) {
                violations.add(new Violation(where, CHECK, "allowPrivilegeEscalation is not false"));
            }
            if (Boolean.TRUE.equals(security.get("privileged"))) {
                violations.add(new Violation(where, CHECK, "privileged"));
            }
            if (!Boolean.TRUE.equals(security.get("readOnlyRootFilesystem"))) {
                violations.add(new Violation(where, CHECK, "readOnlyRootFilesystem is not true"));
            }
            if (!list(map(security.get("capabilities")).get("drop")).contains("ALL")) {
                violations.add(new Violation(where, CHECK, "capabilities do not drop ALL"));
            }
            if (!list(map(security.get("capabilities")).get("add")).isEmpty()) {
                violations.add(new Violation(where, CHECK, "capabilities added: " + map(security.get("capabilities")).get("add")));
            }
            Object seccomp = map(security.getOrDefault("seccompProfile", podSecurity.get("seccompProfile"))).get("type");
            if (!"RuntimeDefault".equals(seccomp) && !"Localhost".equals(seccomp)) {
                violations.add(new Violation(where, CHECK, "seccompProfile is not RuntimeDefault (found " + seccomp + ")"));
            }
        }
    }

    /** Every namespace that appears must hold a NetworkPolicy selecting all pods with no rule for either direction. */
    private static void checkDefaultDeny(List<KubeObject> objects, List<Violation> violations) {
        Set<String> namespaces = new TreeSet<>();
        Set<String> denied = new HashSet<>();
        for (KubeObject object : objects) {
            if ("Namespace".equals(object.kind())) {
                namespaces.add(object.name());
            } else if (object.namespace() != null) {
                namespaces.add(object.namespace());
            }
            if ("NetworkPolicy".equals(object.kind()) && isDefaultDeny(map(object.content().get("spec")))) {
                denied.add(object.namespace());
            }
        }
        for (String namespace : namespaces) {
            if (!denied.contains(namespace)) {
                violations.add(new Violation("Namespace " + namespace, CHECK, "no default-deny NetworkPolicy (all pods, Ingress and Egress, no rules)"));
            }
        }
    }

    private static boolean isDefaultDeny(Map<String, Object> spec) {
        return map(spec.get("podSelector")).isEmpty()
                && list(spec.get("policyTypes")).containsAll(List.of("Ingress", "Egress"))
                && list(spec.get("ingress")).isEmpty()
                && list(spec.get("egress")).isEmpty();
    }

    /** Any "image" or "imageName" anywhere (pod templates and custom resources alike) must be pinned. */
    private static void checkImages(KubeObject object, Object node, List<Violation> violations) {
        if (node instanceof Map<?, ?> fields) {
            fields.forEach((key, value) -> {
                if (("image".equals(key) || "imageName".equals(key)) && value instanceof String image && !pinned(image)) {
                    violations.add(new Violation(object.id(), CHECK, "image " + image + " is untagged or :latest"));
                } else {
                    checkImages(object, value, violations);
                }
            });
        } else if (node instanceof List<?> items) {
            items.forEach(item -> checkImages(object, item, violations));
        }
    }

    static boolean pinned(String image) {
        if (image.contains("@sha256:")) {
            return true;
        }
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        return colon > slash && !image.substring(colon + 1).equals("latest") && !image.substring(colon + 1).isEmpty();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> list ? (List<Object>) list : List.of();
    }
}
