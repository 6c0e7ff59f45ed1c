package dev.portcullis.simulator.lock;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.portcullis.simulator.SimulatorConfig;
import dev.portcullis.simulator.enrollment.EnrollmentClient;
import dev.portcullis.simulator.gateway.GatewayLink;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/** The configured virtual locks: opened from disk at startup, each then enrolls and connects on its own. */
@ApplicationScoped
public class Fleet {

    private static final Logger LOG = Logger.getLogger(Fleet.class);

    @Inject
    SimulatorConfig config;

    @Inject
    ObjectMapper json;

    private final Map<String, VirtualLock> locks = new LinkedHashMap<>();
    private ScheduledThreadPoolExecutor scheduler;

    void onStart(@Observes StartupEvent event) {
        AtomicInteger threads = new AtomicInteger();
        scheduler = new ScheduledThreadPoolExecutor(2, runnable -> {
            Thread thread = new Thread(runnable, "lock-simulator-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(config.enrollment().requestTimeout())
                .executor(Executors.newCachedThreadPool(runnable -> {
                    Thread thread = new Thread(runnable, "lock-simulator-http-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                }))
                .build();
        EnrollmentClient registry = new EnrollmentClient(http, config.registryUrl(), json, config.enrollment().requestTimeout());
        SimulatorConfig.Gateway gateway = config.gateway();
        GatewayLink.Settings link = new GatewayLink.Settings(gateway.host(), gateway.port(), gateway.heartbeatInterval(),
                gateway.handshakeTimeout(), gateway.reconnect().initialDelay(), gateway.reconnect().maxDelay());

        List<SimulatorConfig.Lock> configured = config.locks().orElse(List.of());
        for (SimulatorConfig.Lock lock : configured) {
            if (locks.containsKey(lock.id())) {
                throw new IllegalStateException("lock " + lock.id() + " is configured twice");
            }
            VirtualLock.Settings settings = new VirtualLock.Settings(lock.id(), lock.enrollmentSecret(), config.firmwareVersion(),
                    config.actuator().relockDelay(), config.verifier().allowedClockSkew(), config.verifier().maxCommandLifetime(),
                    config.enrollment().retry().initialDelay(), config.enrollment().retry().maxDelay(), link);
            LockStorage storage = LockStorage.open(config.dataDir(), lock.id(), lock.enrollmentSecret(), json);
            locks.put(lock.id(), new VirtualLock(settings, storage, registry, scheduler, Clock.systemUTC()));
        }
        LOG.infof("lock simulator: %d lock(s), state in %s, registry %s, gateway %s:%d", locks.size(), config.dataDir().toAbsolutePath(),
                config.registryUrl(), gateway.host(), gateway.port());
        locks.values().forEach(VirtualLock::start);
    }

    void onStop(@Observes ShutdownEvent event) {
        locks.values().forEach(VirtualLock::close);
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(Duration.ofSeconds(2).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public Collection<VirtualLock> all() {
        return Collections.unmodifiableCollection(locks.values());
    }

    public Optional<VirtualLock> find(String id) {
        return Optional.ofNullable(locks.get(id));
    }
}
