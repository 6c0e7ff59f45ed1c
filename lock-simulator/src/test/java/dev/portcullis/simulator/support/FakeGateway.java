package dev.portcullis.simulator.support;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.GatewayChallenge;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.proto.gateway.v1.Challenge;
import dev.portcullis.proto.gateway.v1.CommandDelivery;
import dev.portcullis.proto.gateway.v1.GatewayMessage;
import dev.portcullis.proto.gateway.v1.HeartbeatAck;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockGatewayGrpc;
import dev.portcullis.proto.gateway.v1.LockMessage;
import dev.portcullis.proto.gateway.v1.Welcome;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * command-service's lock gateway, for the simulator's tests, over real gRPC on loopback: the same
 * handshake (Hello for an enrolled lock and its signing key id → Challenge with a fresh nonce →
 * challenge response verified with lock-protocol GatewayChallenge → Welcome), then commands down and
 * acknowledgements, events and heartbeats up. Anything wrong closes the stream with UNAUTHENTICATED.
 */
public final class FakeGateway implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Function<String, LockIdentity> registry;
    private final Server server;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> welcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> heartbeats = new ConcurrentHashMap<>();
    private final List<LockEvent> events = new CopyOnWriteArrayList<>();
    private final Map<String, List<dev.portcullis.proto.gateway.v1.CredentialInventory>> inventories = new ConcurrentHashMap<>();

    /** @param registry the identity of each enrolled lock (null if unknown) */
    public FakeGateway(Function<String, LockIdentity> registry) throws IOException {
        this.registry = registry;
        server = NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .addService(new Service())
                .build()
                .start();
    }

    /** The credential inventories a lock reported, oldest first. */
    public List<dev.portcullis.proto.gateway.v1.CredentialInventory> inventories(String lockId) {
        return inventories.getOrDefault(lockId, List.of());
    }

    public int port() {
        return server.getPort();
    }

    public int welcomes(String lockId) {
        return welcomes.getOrDefault(lockId, new AtomicInteger()).get();
    }

    public int heartbeats(String lockId) {
        return heartbeats.getOrDefault(lockId, new AtomicInteger()).get();
    }

    public List<LockEvent> events() {
        return events;
    }

    public boolean connected(String lockId) {
        return sessions.containsKey(lockId);
    }

    /** Sends the envelope down the lock's stream and returns the signed acknowledgement it answers with. */
    public byte[] deliver(String lockId, byte[] envelope, Duration timeout) throws InterruptedException {
        Session session = sessions.get(lockId);
        if (session == null) {
            throw new IllegalStateException("lock " + lockId + " is not connected");
        }
        session.acks.clear();
        session.send(GatewayMessage.newBuilder().setCommand(CommandDelivery.newBuilder().setEnvelope(ByteString.copyFrom(envelope))).build());
        byte[] ack = session.acks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (ack == null) {
            throw new IllegalStateException("lock " + lockId + " did not acknowledge within " + timeout);
        }
        return ack;
    }

    /** Breaks the lock's stream, as a restarting command-service or a network failure would. */
    public void drop(String lockId) {
        Session session = sessions.remove(lockId);
        if (session != null) {
            session.fail(Status.UNAVAILABLE.withDescription("gateway restarting"));
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }

    private final class Service extends LockGatewayGrpc.LockGatewayImplBase {
        @Override
        public StreamObserver<LockMessage> connect(StreamObserver<GatewayMessage> downstream) {
            return new Session(downstream);
        }
    }

    private final class Session implements StreamObserver<LockMessage> {

        private final StreamObserver<GatewayMessage> downstream;
        private final BlockingQueue<byte[]> acks = new LinkedBlockingQueue<>();
        private LockIdentity identity;
        private byte[] nonce;
        private boolean authenticated;
        private boolean closed;

        Session(StreamObserver<GatewayMessage> downstream) {
            this.downstream = downstream;
        }

        @Override
        public void onNext(LockMessage message) {
            if (identity == null) {
                if (!message.hasHello()) {
                    fail(Status.FAILED_PRECONDITION.withDescription("expected hello"));
                    return;
                }
                LockIdentity known = registry.apply(message.getHello().getLockId());
                if (known == null || !known.signingKeyId().equals(message.getHello().getSigningKeyId())) {
                    fail(Status.UNAUTHENTICATED.withDescription("lock authentication failed"));
                    return;
                }
                identity = known;
                nonce = new byte[32];
                RANDOM.nextBytes(nonce);
                send(GatewayMessage.newBuilder().setChallenge(Challenge.newBuilder().setNonce(ByteString.copyFrom(nonce))).build());
            } else if (!authenticated) {
                if (!message.hasChallengeResponse() || !GatewayChallenge.verify(identity.signingKey(), identity.lockId(), nonce,
                        message.getChallengeResponse().getSignature().toByteArray())) {
                    fail(Status.UNAUTHENTICATED.withDescription("lock authentication failed"));
                    return;
                }
                authenticated = true;
                Session previous = sessions.put(identity.lockId(), this);
                if (previous != null && previous != this) {
                    previous.fail(Status.ABORTED.withDescription("replaced"));
                }
                welcomes.computeIfAbsent(identity.lockId(), id -> new AtomicInteger()).incrementAndGet();
                send(GatewayMessage.newBuilder().setWelcome(Welcome.newBuilder().setSessionId(UUID.randomUUID().toString())).build());
            } else {
                switch (message.getBodyCase()) {
                    case COMMAND_RESULT -> acks.add(message.getCommandResult().getSignedAck().toByteArray());
                    case EVENT -> events.add(message.getEvent());
                    case CREDENTIAL_INVENTORY -> inventories.computeIfAbsent(identity.lockId(), id -> new CopyOnWriteArrayList<>())
                            .add(message.getCredentialInventory());
                    case HEARTBEAT -> {
                        heartbeats.computeIfAbsent(identity.lockId(), id -> new AtomicInteger()).incrementAndGet();
                        send(GatewayMessage.newBuilder().setHeartbeatAck(HeartbeatAck.getDefaultInstance()).build());
                    }
                    default -> fail(Status.FAILED_PRECONDITION.withDescription("unexpected message after authentication"));
                }
            }
        }

        synchronized void send(GatewayMessage message) {
            if (!closed) {
                downstream.onNext(message);
            }
        }

        synchronized void fail(Status status) {
            if (!closed) {
                closed = true;
                if (identity != null) {
                    sessions.remove(identity.lockId(), this);
                }
                downstream.onError(status.asRuntimeException());
            }
        }

        @Override
        public void onError(Throwable t) {
            closeQuietly();
        }

        @Override
        public void onCompleted() {
            closeQuietly();
            synchronized (this) {
                try {
                    downstream.onCompleted();
                } catch (RuntimeException ignored) {
                    // already closed
                }
            }
        }

        private synchronized void closeQuietly() {
            closed = true;
            if (identity != null) {
                sessions.remove(identity.lockId(), this);
            }
        }
    }
}
