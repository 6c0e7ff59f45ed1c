package dev.portcullis.simulator.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Starts the simulator's peers for a {@code @QuarkusTest}: the fake registry and gateway on loopback,
 * and a fresh data directory. Lock A enrolls (after two 503s: the registry "is starting"); lock B
 * has a wrong enrollment secret.
 */
public class SimulatorResource implements QuarkusTestResourceLifecycleManager {

    public static final String LOCK_A = "7d4f0a2e-3b1c-4e5d-9f6a-0b1c2d3e4f01";
    public static final String LOCK_B = "7d4f0a2e-3b1c-4e5d-9f6a-0b1c2d3e4f02";

    private static volatile FakePlatform platform;
    private static volatile Path dataDir;

    public static FakePlatform platform() {
        return platform;
    }

    public static Path dataDir() {
        return dataDir;
    }

    @Override
    public Map<String, String> start() {
        try {
            platform = new FakePlatform(1);
            dataDir = Files.createTempDirectory("lock-simulator-test");
        } catch (IOException e) {
            throw new IllegalStateException("could not start the simulator's test peers", e);
        }
        String secretA = UUID.randomUUID().toString();
        platform.registry().expect(LOCK_A, secretA);
        platform.registry().unavailableFor(LOCK_A, 2);
        platform.registry().expect(LOCK_B, UUID.randomUUID().toString());

        Map<String, String> config = new HashMap<>();
        config.put("simulator.registry-url", platform.registry().url());
        config.put("simulator.gateway.host", "127.0.0.1");
        config.put("simulator.gateway.port", String.valueOf(platform.gateway().port()));
        config.put("simulator.data-dir", dataDir.toString());
        config.put("simulator.locks[0].id", LOCK_A);
        config.put("simulator.locks[0].enrollment-secret", secretA);
        config.put("simulator.locks[1].id", LOCK_B);
        config.put("simulator.locks[1].enrollment-secret", "not-the-secret");
        config.put("simulator.enrollment.retry.initial-delay", "50ms");
        config.put("simulator.enrollment.retry.max-delay", "200ms");
        config.put("simulator.gateway.reconnect.initial-delay", "50ms");
        config.put("simulator.gateway.reconnect.max-delay", "500ms");
        config.put("simulator.gateway.heartbeat-interval", "200ms");
        config.put("simulator.actuator.relock-delay", "1s");
        return config;
    }

    @Override
    public void stop() {
        if (platform != null) {
            platform.close();
        }
    }
}
