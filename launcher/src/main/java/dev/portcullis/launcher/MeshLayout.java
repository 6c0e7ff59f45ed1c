package dev.portcullis.launcher;

import java.net.URI;
import java.nio.file.Path;

/**
 * Where a mesh lives: the repository it runs from, its state directory, and its ports. The local demo
 * uses base 8080 (identity 8081, policy 8082, command 8083, registry 8084, audit 8085, simulator 8090,
 * Kafka 9092); the end-to-end suite uses another base so both can run on one machine.
 */
public record MeshLayout(Path repoRoot, Path stateDir, int portBase, String databasePrefix) {

    public static MeshLayout local(Path repoRoot) {
        return new MeshLayout(repoRoot, repoRoot.resolve(".portcullis"), 8080, "portcullis");
    }

    public int identityPort() {
        return portBase + 1;
    }

    public int policyPort() {
        return portBase + 2;
    }

    public int commandPort() {
        return portBase + 3;
    }

    /** A second command-service replica, started only where two replicas are exercised (end-to-end suite). */
    public int secondCommandPort() {
        return portBase + 6;
    }

    public int registryPort() {
        return portBase + 4;
    }

    public int auditPort() {
        return portBase + 5;
    }

    /** The operator console (web pages; an OIDC relying party of identity-service). */
    public int consolePort() {
        return portBase + 7;
    }

    /** The console's management interface (health checks, metrics), apart from its pages. */
    public int consoleManagementPort() {
        return portBase + 8;
    }

    public int simulatorPort() {
        return portBase + 10;
    }

    public int kafkaPort() {
        return portBase + 1012;
    }

    public int kafkaControllerPort() {
        return portBase + 1013;
    }

    public URI issuer() {
        return URI.create("http://localhost:" + identityPort());
    }

    public URI commandUrl() {
        return URI.create("http://localhost:" + commandPort());
    }

    public URI secondCommandUrl() {
        return URI.create("http://localhost:" + secondCommandPort());
    }

    public URI auditUrl() {
        return URI.create("http://localhost:" + auditPort());
    }

    public URI registryUrl() {
        return URI.create("http://localhost:" + registryPort());
    }

    /** localhost (not 127.0.0.1): the console's registered redirect URI and the browser's address must agree. */
    public URI consoleUrl() {
        return URI.create("http://localhost:" + consolePort());
    }

    public URI simulatorUrl() {
        return URI.create("http://127.0.0.1:" + simulatorPort());
    }

    public Path jar(String module) {
        return repoRoot.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    public Path logs() {
        return stateDir.resolve("logs");
    }

    public Path keys() {
        return stateDir.resolve("keys");
    }

    public Path config() {
        return stateDir.resolve("config");
    }
}
