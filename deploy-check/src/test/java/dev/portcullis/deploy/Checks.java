package dev.portcullis.deploy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.portcullis.deploy.render.KubeObject;
import dev.portcullis.deploy.render.Kustomize;
import dev.portcullis.deploy.schema.CrdSchemas;
import dev.portcullis.deploy.schema.KubernetesModels;
import java.nio.file.Path;
import java.util.List;

/** Where things are (set by the pom) and the checks, built once per JVM. */
final class Checks {

    static final Path K8S = Path.of(System.getProperty("portcullis.k8s.dir", "../k8s")).toAbsolutePath().normalize();
    static final Path FIXTURES = Path.of(System.getProperty("portcullis.fixtures.dir", "src/test/resources/fixtures")).toAbsolutePath();

    private static ManifestChecks checks;

    private Checks() {
    }

    /** Renders one overlay under k8s/overlays; skips (saying so) where kubectl is missing. */
    static List<KubeObject> renderOverlay(String overlay) {
        assumeTrue(Kustomize.available(), "kubectl is not installed: the Kubernetes manifests were NOT checked");
        return Kustomize.render(K8S.resolve("overlays").resolve(overlay));
    }

    /** Skips (with the reason) where kubectl or node/npm are missing; CI has all three. */
    static synchronized ManifestChecks get() {
        assumeTrue(Kustomize.available(), "kubectl is not installed: the Kubernetes manifests were NOT checked");
        assumeTrue(KubernetesModels.available(), "node/npm are not installed: the Kubernetes manifests were NOT checked");
        if (checks == null) {
            KubernetesModels models = KubernetesModels.install(
                    Path.of(System.getProperty("portcullis.npm.prefix", "target/kubernetes-models")),
                    System.getProperty("portcullis.kubernetes-models.version", "4.5.1"));
            checks = new ManifestChecks(CrdSchemas.load(K8S.resolve("crds")), models);
        }
        return checks;
    }
}
