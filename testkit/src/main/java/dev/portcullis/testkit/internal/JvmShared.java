package dev.portcullis.testkit.internal;

import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/**
 * One instance per JVM even when the test kit is loaded by several class loaders.
 * <p>
 * {@code @QuarkusTest} loads test classes (and so the test kit) in Quarkus class loaders that are created and
 * closed per application start, while the same jars sit on the JVM's system class path. A broker or a database
 * cluster started from one of those short-lived loaders would be invisible to the others (separate statics)
 * and its shutdown hook could fail once its loader is closed. So the shared things live in the system class
 * loader's copy of the test kit: a caller from another loader invokes the system copy reflectively and gets
 * back only a {@code String} (a class every loader shares).
 */
public final class JvmShared {

    private JvmShared() {
    }

    /**
     * Calls the public static no-argument method {@code method} of {@code owner}'s copy in the system class loader
     * and returns its {@code String} result, or empty when {@code owner} already is that copy (or there is none):
     * then the caller runs its own code.
     */
    public static Optional<String> callSystemCopy(Class<?> owner, String method) {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        if (owner.getClassLoader() == system) {
            return Optional.empty();
        }
        Class<?> shared;
        try {
            shared = Class.forName(owner.getName(), true, system);
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
        if (shared == owner) {
            return Optional.empty();
        }
        try {
            return Optional.of((String) shared.getMethod(method).invoke(null));
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw new IllegalStateException(runtime.getMessage(), runtime);
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(String.valueOf(cause), cause);
        } catch (ReflectiveOperationException e) {
            return Optional.empty();
        }
    }
}
