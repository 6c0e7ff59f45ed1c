package dev.portcullis.command.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.portcullis.command.gateway.LockSessions;
import dev.portcullis.command.support.PeerServices;
import dev.portcullis.lock.protocol.GatewayChallenge;
import dev.portcullis.lock.protocol.InMemoryLockKeys;
import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.proto.gateway.v1.ChallengeResponse;
import dev.portcullis.proto.gateway.v1.GatewayMessage;
import dev.portcullis.proto.gateway.v1.Hello;
import dev.portcullis.proto.gateway.v1.LockGatewayGrpc;
import dev.portcullis.proto.gateway.v1.LockMessage;
import dev.portcullis.testkit.KafkaResource;
import dev.portcullis.testkit.PostgresResource;
import dev.portcullis.testkit.oidc.TestIssuerResource;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * How many authenticated lock streams one instance holds, and the heap each costs. Every stream does
 * the real handshake (Hello → registry look-up → Challenge → Ed25519 signature → Welcome, presence and
 * route written). Streams are multiplexed 100 to an HTTP/2 connection, as a hub or a load balancer
 * would. Both ends live in this JVM, so the heap figure per stream is an upper bound for the server.
 * Run: {@code ./mvnw -pl command-service verify -Pbenchmark -Dtest=LockStreamsBenchmark [-Dbench.streams=10000]}.
 */
@Tag("benchmark")
@QuarkusTest
@TestProfile(LockStreamsBenchmark.QuietLocks.class)
@QuarkusTestResource(value = PostgresResource.class, initArgs = @ResourceArg(name = "prefix", value = "command"))
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(TestIssuerResource.class)
@QuarkusTestResource(PeerServices.class)
class LockStreamsBenchmark {

    /** The streams stay silent for the whole run (no heartbeats), so the idle sweep must not end them. */
    public static class QuietLocks implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("portcullis.command.gateway.idle-timeout", "30m",
                    "portcullis.command.gateway.authentication-timeout", "60s");
        }
    }

    private static final int STREAMS = Integer.getInteger("bench.streams", 10_000);
    private static final int PER_CONNECTION = 100;
    private static final String ORG = UUID.randomUUID().toString();

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Inject
    LockSessions sessions;

    @Test
    void openStreamsAndHeapPerStream() throws Exception {
        List<ManagedChannel> channels = new ArrayList<>();
        for (int i = 0; i < (STREAMS + PER_CONNECTION - 1) / PER_CONNECTION; i++) {
            channels.add(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build());
        }
        List<StreamObserver<LockMessage>> streams = new ArrayList<>();
        try {
            long baseline = usedHeapAfterGc();
            int before = sessions.size();
            Semaphore handshakes = new Semaphore(200);
            List<CompletableFuture<Void>> welcomed = new ArrayList<>();
            long started = System.nanoTime();
            for (int i = 0; i < STREAMS; i++) {
                handshakes.acquire();
                CompletableFuture<Void> done = open(channels.get(i / PER_CONNECTION), streams);
                done.whenComplete((ok, failure) -> handshakes.release());
                welcomed.add(done);
            }
            CompletableFuture.allOf(welcomed.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            double seconds = (System.nanoTime() - started) / 1e9;
            Thread.sleep(2_000);
            int held = sessions.size() - before;
            long after = usedHeapAfterGc();
            String report = String.format(Locale.ROOT,
                    "lock streams: %d opened and authenticated in %.1f s (%.0f handshakes/s); held by the instance: %d;"
                            + " heap after GC %d MiB -> %d MiB, %.1f KiB per stream (both ends in one JVM); max heap %d MiB%n",
                    STREAMS, seconds, STREAMS / seconds, held, baseline >> 20, after >> 20, (after - baseline) / 1024.0 / STREAMS,
                    Runtime.getRuntime().maxMemory() >> 20);
            System.out.print("[bench] " + report);
            Files.writeString(Path.of("target", "benchmark-lock-streams.txt"), report, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            assertEquals(STREAMS, held, "every stream is held");
        } finally {
            streams.forEach(stream -> {
                try {
                    stream.onCompleted();
                } catch (RuntimeException ignored) {
                    // already closed
                }
            });
            channels.forEach(ManagedChannel::shutdownNow);
        }
    }

    private static CompletableFuture<Void> open(ManagedChannel channel, List<StreamObserver<LockMessage>> streams) {
        String lockId = UUID.randomUUID().toString();
        InMemoryLockKeys keys = InMemoryLockKeys.generate();
        PeerServices.enroll(ORG, UUID.randomUUID().toString(), lockId, keys);
        CompletableFuture<Void> welcomed = new CompletableFuture<>();
        AtomicReference<StreamObserver<LockMessage>> upstream = new AtomicReference<>();
        AtomicReference<InMemoryLockKeys> signer = new AtomicReference<>(keys);
        upstream.set(LockGatewayGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(GatewayMessage message) {
                switch (message.getBodyCase()) {
                    case CHALLENGE -> upstream.get().onNext(LockMessage.newBuilder().setChallengeResponse(ChallengeResponse.newBuilder()
                            .setSignature(ByteString.copyFrom(GatewayChallenge.sign(signer.getAndSet(null), lockId,
                                    message.getChallenge().getNonce().toByteArray())))).build());
                    case WELCOME -> welcomed.complete(null);
                    default -> { }
                }
            }

            @Override
            public void onError(Throwable t) {
                welcomed.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                welcomed.completeExceptionally(new IllegalStateException("stream ended"));
            }
        }));
        upstream.get().onNext(LockMessage.newBuilder().setHello(Hello.newBuilder().setLockId(lockId)
                .setSigningKeyId(KeyIds.of(keys.signingPublicKey())).setFirmwareVersion("bench-1")).build());
        synchronized (streams) {
            streams.add(upstream.get());
        }
        return welcomed;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(300);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
