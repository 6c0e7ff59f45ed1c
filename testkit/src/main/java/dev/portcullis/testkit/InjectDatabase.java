package dev.portcullis.testkit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link Database} field of a {@code @QuarkusTest} class into which {@link PostgresResource} injects the
 * database it created for that test (for seeding or asserting rows over JDBC).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectDatabase {
}
