package dev.portcullis.deploy.schema;

import com.google.gson.Gson;
import dev.portcullis.deploy.render.KubeObject;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Core kinds against the official Java client's models (generated from the Kubernetes OpenAPI document):
 * {@code fromJson} rejects unknown fields and missing required fields and refuses values of the wrong type.
 */
public final class CoreSchemas {

    public static final String CHECK = "client-java";

    private static final Map<String, Class<?>> MODELS = Map.of(
            "v1/Namespace", V1Namespace.class,
            "v1/ServiceAccount", V1ServiceAccount.class,
            "v1/Service", V1Service.class,
            "v1/ConfigMap", V1ConfigMap.class,
            "v1/Secret", V1Secret.class,
            "apps/v1/Deployment", V1Deployment.class,
            "autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class,
            "policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class,
            "networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class,
            "networking.k8s.io/v1/Ingress", V1Ingress.class);

    private static final Gson GSON = new Gson();

    private CoreSchemas() {
    }

    /** Whether {@code object} is a core kind this check knows (the others must be custom resources). */
    public static boolean covers(KubeObject object) {
        return model(object).isPresent();
    }

    public static List<Violation> validate(List<KubeObject> objects) {
        List<Violation> violations = new ArrayList<>();
        for (KubeObject object : objects) {
            Optional<Class<?>> model = model(object);
            if (model.isEmpty()) {
                continue;
            }
            try {
                model.get().getMethod("fromJson", String.class).invoke(null, GSON.toJson(object.content()));
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                violations.add(new Violation(object.id(), CHECK, cause.getClass().getSimpleName() + ": " + cause.getMessage()));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("client-java model without fromJson: " + model.get(), e);
            }
        }
        return violations;
    }

    private static Optional<Class<?>> model(KubeObject object) {
        return Optional.ofNullable(MODELS.get(object.apiVersion() + "/" + object.kind()));
    }
}
