package dev.portcullis.command.routing;

import dev.portcullis.command.CommandConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This command-service replica: an id (the pod name in Kubernetes; random when not set) and the address
 * other replicas reach its gRPC port at (the pod IP in Kubernetes; loopback and the HTTP port when not set).
 */
@ApplicationScoped
public class Replica {

    private final String id;
    private final String address;

    @Inject
    Replica(CommandConfig config, @ConfigProperty(name = "quarkus.http.port") int port,
            @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081") int testPort) {
        this.id = config.replica().id().orElseGet(() -> UUID.randomUUID().toString());
        this.address = config.replica().address()
                .orElseGet(() -> "127.0.0.1:" + (LaunchMode.current() == LaunchMode.TEST ? testPort : port));
    }

    public String id() {
        return id;
    }

    public String address() {
        return address;
    }
}
