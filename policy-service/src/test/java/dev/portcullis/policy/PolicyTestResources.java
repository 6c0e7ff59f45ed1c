package dev.portcullis.policy;

import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * The real dependencies every {@code @QuarkusTest} of this module runs against: a fresh PostgreSQL
 * database, the in-JVM Kafka broker and the loopback OIDC issuer. Declared once, here.
 */
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "policy"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
public final class PolicyTestResources {

    private PolicyTestResources() {
    }
}
