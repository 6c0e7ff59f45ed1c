package dev.portcullis.command.support;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.CommandRejectedException;
import dev.portcullis.lock.protocol.CredentialSet;
import dev.portcullis.lock.protocol.GatewayChallenge;
import dev.portcullis.lock.protocol.InMemoryCounterStore;
import dev.portcullis.lock.protocol.InMemoryLockKeys;
import dev.portcullis.lock.protocol.KeyIds;
import dev.portcullis.lock.protocol.LockVerifier;
import dev.portcullis.lock.protocol.PlatformKeys;
import dev.portcullis.lock.protocol.TrustedPlatformKeys;
import dev.portcullis.lock.protocol.VerifiedCommand;
import dev.portcullis.proto.gateway.v1.ChallengeResponse;
import dev.portcullis.proto.gateway.v1.CommandResult;
import dev.portcullis.proto.gateway.v1.GatewayMessage;
import dev.portcullis.proto.gateway.v1.Heartbeat;
import dev.portcullis.proto.gateway.v1.Hello;
import dev.portcullis.proto.gateway.v1.LockGatewayGrpc;
import dev.portcullis.proto.gateway.v1.LockMessage;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A lock for command-service's tests: real keys, the real lock-side verifier, and a real gRPC stream
 * to the service's gateway. It can be told to stay silent (never acknowledge) or to sign the
 * challenge with the wrong key.
 */
public final class TestLock implements AutoCloseable {

    private static volatile PlatformKeys platform;

    private final String lockId = UUID.randomUUID().toString();
    private final InMemoryLockKeys keys = InMemoryLockKeys.generate();
    private final LockVerifier verifier;
    private final List<byte[]> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger actuations = new AtomicInteger();
    private final CredentialSet credentials = new CredentialSet();
    private final CompletableFuture<String> welcomed = new CompletableFuture<>();
    private final CompletableFuture<Status> closed = new CompletableFuture<>();
    private volatile boolean silent;
    private volatile boolean duplicateAcks;
    private volatile Duration ackDelay = Duration.ZERO;
    private final Clock clock;
    private ManagedChannel channel;
    private StreamObserver<LockMessage> upstream;

    public TestLock() {
        this(Duration.ZERO);
    }

    /** A lock whose clock is {@code clockOffset} ahead of (or, negative, behind) the real one. */
    public TestLock(Duration clockOffset) {
        clock = Clock.offset(Clock.systemUTC(), clockOffset);
        TrustedPlatformKeys trusted = new TrustedPlatformKeys(platform.signingPublicKey(), platform.agreementPublicKey());
        verifier = new LockVerifier(lockId, 1, keys, trusted, new InMemoryCounterStore(), clock,
                Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    static void trustPlatform(PlatformKeys keys) {
        platform = keys;
    }

    public String lockId() {
        return lockId;
    }

    public InMemoryLockKeys keys() {
        return keys;
    }

    /** The credentials the lock holds (changed only by verified credential commands). */
    public CredentialSet credentials() {
        return credentials;
    }

    public int actuations() {
        return actuations.get();
    }

    public List<byte[]> received() {
        return received;
    }

    /** Receive commands but never answer them (a lost acknowledgement). */
    public TestLock silent() {
        silent = true;
        return this;
    }

    /** Answer every command twice (a duplicated acknowledgement). */
    public TestLock duplicatingAcknowledgements() {
        duplicateAcks = true;
        return this;
    }

    /** Answer every command only after {@code delay} (an acknowledgement that arrives late). */
    public TestLock acknowledgingAfter(Duration delay) {
        ackDelay = delay;
        return this;
    }

    /** Sends a heartbeat carrying the lock's clock. */
    public synchronized void heartbeat() {
        Instant now = clock.instant();
        upstream.onNext(LockMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                .setLockTime(com.google.protobuf.Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()))
                .setBatteryPercent(80)).build());
    }

    /** Reports the credentials the lock holds (ids and digest), as a lock does after connecting. */
    public synchronized void reportInventory() {
        dev.portcullis.proto.gateway.v1.CredentialInventory.Builder inventory = dev.portcullis.proto.gateway.v1.CredentialInventory.newBuilder()
                .setCredentialSetDigest(com.google.protobuf.ByteString.copyFrom(credentials().digest()));
        credentials().ids().forEach(id -> inventory.addCredentialIds(id.toString()));
        upstream.onNext(LockMessage.newBuilder().setCredentialInventory(inventory).build());
    }

    /** Opens the gateway stream and completes the challenge; returns the session id. */
    public String connect(int port) {
        return connect(port, keys);
    }

    /** Opens the stream but signs the challenge with {@code signer} (a wrong key to test refusal). */
    public String connect(int port, InMemoryLockKeys signer) {
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        upstream = LockGatewayGrpc.newStub(channel).connect(new StreamObserver<>() {
            @Override
            public void onNext(GatewayMessage message) {
                switch (message.getBodyCase()) {
                    case CHALLENGE -> upstream.onNext(LockMessage.newBuilder().setChallengeResponse(ChallengeResponse.newBuilder()
                            .setSignature(ByteString.copyFrom(GatewayChallenge.sign(signer, lockId, message.getChallenge().getNonce().toByteArray()))))
                            .build());
                    case WELCOME -> welcomed.complete(message.getWelcome().getSessionId());
                    case COMMAND -> onCommand(message.getCommand().getEnvelope().toByteArray());
                    default -> { }
                }
            }

            @Override
            public void onError(Throwable t) {
                closed.complete(Status.fromThrowable(t));
                welcomed.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                closed.complete(Status.OK);
            }
        });
        upstream.onNext(LockMessage.newBuilder().setHello(Hello.newBuilder().setLockId(lockId)
                .setSigningKeyId(KeyIds.of(keys.signingPublicKey())).setFirmwareVersion("test-1")).build());
        try {
            return welcomed.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("not welcomed: " + e.getMessage(), e);
        }
    }

    /** How the gateway closed the stream, if it did. */
    public Status awaitClosed(Duration timeout) throws Exception {
        return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void onCommand(byte[] envelope) {
        received.add(envelope);
        byte[] answer;
        try {
            VerifiedCommand command = verifier.verify(envelope);
            if (command.action().isCredentialChange()) {
                credentials.apply(command);
                answer = verifier.acknowledge(command, clock.instant(), credentials.digest());
            } else {
                actuations.incrementAndGet();
                answer = verifier.acknowledge(command, clock.instant());
            }
        } catch (CommandRejectedException rejected) {
            answer = verifier.refuse(envelope, rejected.reason(), clock.instant());
        }
        if (silent) {
            return;
        }
        LockMessage result = LockMessage.newBuilder().setCommandResult(CommandResult.newBuilder()
                .setSignedAck(ByteString.copyFrom(answer))).build();
        if (ackDelay.isZero()) {
            send(result);
        } else {
            CompletableFuture.delayedExecutor(ackDelay.toMillis(), TimeUnit.MILLISECONDS).execute(() -> send(result));
        }
    }

    private synchronized void send(LockMessage result) {
        upstream.onNext(result);
        if (duplicateAcks) {
            upstream.onNext(result);
        }
    }

    @Override
    public void close() {
        if (upstream != null) {
            try {
                upstream.onCompleted();
            } catch (RuntimeException ignored) {
                // already closed
            }
        }
        if (channel != null) {
            channel.shutdownNow();
        }
    }
}
