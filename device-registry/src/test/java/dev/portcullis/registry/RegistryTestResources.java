package dev.portcullis.registry;

import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;

/**
 * The real dependencies every {@code @QuarkusTest} of this module runs against: a fresh PostgreSQL
 * database, the in-JVM Kafka broker and the loopback OIDC issuer (operators' tokens). Declared once, here, so that they apply to every test class
 * alike and (with {@link RegistryTestProfile}) the application starts once for all of them.
 */
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "registry"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
public final class RegistryTestResources {

    private RegistryTestResources() {
    }
}
