package dev.portcullis.deploy;

import dev.portcullis.deploy.policy.DeploymentPolicies;
import dev.portcullis.deploy.render.KubeObject;
import dev.portcullis.deploy.schema.CoreSchemas;
import dev.portcullis.deploy.schema.CrdSchemas;
import dev.portcullis.deploy.schema.KubernetesModels;
import dev.portcullis.deploy.schema.Violation;
import java.util.ArrayList;
import java.util.List;

/**
 * Every check over one rendered set of objects: both Kubernetes schema checks on the core kinds, the CRD
 * schemas on the custom resources, the deployment policies; an object that no schema covers is a violation
 * too (nothing goes out unchecked).
 */
public final class ManifestChecks {

    public static final String COVERAGE = "coverage";

    private final CrdSchemas crds;
    private final KubernetesModels kubernetesModels;

    public ManifestChecks(CrdSchemas crds, KubernetesModels kubernetesModels) {
        this.crds = crds;
        this.kubernetesModels = kubernetesModels;
    }

    public List<Violation> check(List<KubeObject> objects) {
        List<Violation> violations = new ArrayList<>();
        List<KubeObject> core = objects.stream().filter(CoreSchemas::covers).toList();
        for (KubeObject object : objects) {
            if (!CoreSchemas.covers(object) && !crds.covers(object)) {
                violations.add(new Violation(object.id(), COVERAGE, "no schema for " + object.apiVersion() + " " + object.kind()));
            }
        }
        violations.addAll(CoreSchemas.validate(core));
        violations.addAll(kubernetesModels.validate(core));
        violations.addAll(crds.validate(objects));
        violations.addAll(DeploymentPolicies.check(objects));
        return violations;
    }
}
