package dev.portcullis.simulator.gateway;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.portcullis.lock.protocol.GatewayChallenge;
import dev.portcullis.lock.protocol.LockKeys;
import dev.portcullis.proto.gateway.v1.ChallengeResponse;
import dev.portcullis.proto.gateway.v1.CommandResult;
import dev.portcullis.proto.gateway.v1.GatewayMessage;
import dev.portcullis.proto.gateway.v1.Heartbeat;
import dev.portcullis.proto.gateway.v1.Hello;
import dev.portcullis.proto.gateway.v1.LockEvent;
import dev.portcullis.proto.gateway.v1.LockGatewayGrpc;
import dev.portcullis.proto.gateway.v1.LockMessage;
import dev.portcullis.simulator.Backoff;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.jboss.logging.Logger;

/**
 * One lock's gateway stream to command-service ({@code LockGateway.Connect}), kept open: Hello →
 * Challenge → ChallengeResponse (lock-protocol {@link GatewayChallenge}, signed with the lock's key) →
 * Welcome; then commands come down and signed acknowledgements, events and heartbeats go up. When the
 * stream fails, ends, or the handshake does not complete in time, it reconnects after a capped
 * exponential backoff with jitter (reset once welcomed). Thread-safe.
 */
public final class GatewayLink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(GatewayLink.class);

    /** Verifies a command envelope, actuates if it is valid, and returns the signed acknowledgement to send back. */
    @FunctionalInterface
    public interface CommandHandler {
        byte[] onCommand(byte[] envelope);
    }

    public record Settings(String host, int port, Duration heartbeatInterval, Duration handshakeTimeout, Duration reconnectInitialDelay,
            Duration reconnectMaxDelay) {
    }

    private final String lockId;
    private final LockKeys keys;
    private final String firmwareVersion;
    private final CommandHandler handler;
    private final IntSupplier batteryPercent;
    private final ScheduledExecutorService scheduler;
    private final Settings settings;
    private final Backoff backoff;
    private final AtomicInteger sessions = new AtomicInteger();

    private ManagedChannel channel;
    private volatile Runnable whenWelcomed = () -> { };
    private Attempt current;
    private boolean started;
    private boolean closed;

    public GatewayLink(String lockId, LockKeys keys, String firmwareVersion, CommandHandler handler, IntSupplier batteryPercent,
            ScheduledExecutorService scheduler, Settings settings) {
        this.lockId = lockId;
        this.keys = keys;
        this.firmwareVersion = firmwareVersion;
        this.handler = handler;
        this.batteryPercent = batteryPercent;
        this.scheduler = scheduler;
        this.settings = settings;
        this.backoff = new Backoff(settings.reconnectInitialDelay(), settings.reconnectMaxDelay());
    }

    /** Opens the stream (once); from then on the link keeps it open until {@link #close()}. */
    public synchronized void start() {
        if (started || closed) {
            return;
        }
        started = true;
        channel = NettyChannelBuilder.forAddress(settings.host(), settings.port()).usePlaintext().build();
        connect();
    }

    /** True while an authenticated (welcomed) stream is open. */
    public boolean connected() {
        Attempt attempt;
        synchronized (this) {
            attempt = current;
        }
        return attempt != null && attempt.authenticated();
    }

    /** Authenticated sessions so far (each reconnect that completes the handshake adds one). */
    public int sessions() {
        return sessions.get();
    }

    /** What to do each time a stream is authenticated (the lock reports its credential inventory). */
    public void whenWelcomed(Runnable action) {
        whenWelcomed = action;
    }

    /** Sends the lock's credential inventory up the open stream; false if the lock is not connected. */
    public boolean send(dev.portcullis.proto.gateway.v1.CredentialInventory inventory) {
        Attempt attempt;
        synchronized (this) {
            attempt = current;
        }
        return attempt != null && attempt.authenticated()
                && attempt.send(LockMessage.newBuilder().setCredentialInventory(inventory).build());
    }

    /** Sends an event up the open stream; false if the lock is not connected. */
    public boolean send(LockEvent event) {
        Attempt attempt;
        synchronized (this) {
            attempt = current;
        }
        return attempt != null && attempt.authenticated() && attempt.send(LockMessage.newBuilder().setEvent(event).build());
    }

    @Override
    public void close() {
        Attempt attempt;
        ManagedChannel toClose;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            attempt = current;
            current = null;
            toClose = channel;
        }
        if (attempt != null) {
            attempt.close();
        }
        if (toClose != null) {
            toClose.shutdown();
            try {
                if (!toClose.awaitTermination(500, TimeUnit.MILLISECONDS)) {
                    toClose.shutdownNow();
                }
            } catch (InterruptedException e) {
                toClose.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void connect() {
        Attempt attempt;
        synchronized (this) {
            if (closed) {
                return;
            }
            attempt = new Attempt();
            current = attempt;
        }
        attempt.open();
    }

    private void onWelcome(String sessionId) {
        int session = sessions.incrementAndGet();
        synchronized (this) {
            backoff.reset();
        }
        LOG.infof("lock %s connected to the gateway %s:%d (session %s, #%d)", lockId, settings.host(), settings.port(), sessionId, session);
        whenWelcomed.run();
    }

    private void onFinished(Attempt attempt, String why, boolean wasAuthenticated) {
        Duration delay;
        int failures;
        synchronized (this) {
            if (attempt != current || closed) {
                return;
            }
            failures = backoff.failures();
            delay = backoff.next();
        }
        if (wasAuthenticated) {
            LOG.warnf("lock %s lost its gateway stream (%s); reconnecting in %d ms", lockId, why, delay.toMillis());
        } else if (failures == 0) {
            LOG.warnf("lock %s could not open its gateway stream to %s:%d (%s); retrying in %d ms", lockId, settings.host(),
                    settings.port(), why, delay.toMillis());
        } else if (failures % 10 == 0) {
            LOG.infof("lock %s still cannot open its gateway stream (%d attempts; %s); retrying in %d ms", lockId, failures + 1, why,
                    delay.toMillis());
        } else {
            LOG.debugf("lock %s gateway attempt failed (%s); retrying in %d ms", lockId, why, delay.toMillis());
        }
        try {
            scheduler.schedule(this::connect, delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            // the fleet is stopping
        }
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** One stream: the handshake, then traffic, until it ends. */
    private final class Attempt implements ClientResponseObserver<LockMessage, GatewayMessage> {

        private ClientCallStreamObserver<LockMessage> upstream;
        private boolean challenged;
        private volatile boolean authenticated;
        private boolean finished;
        private ScheduledFuture<?> handshakeTimer;
        private ScheduledFuture<?> heartbeat;

        @Override
        public void beforeStart(ClientCallStreamObserver<LockMessage> requestStream) {
            this.upstream = requestStream;
        }

        void open() {
            synchronized (this) {
                try {
                    handshakeTimer = scheduler.schedule(() -> abort("handshake timed out"), settings.handshakeTimeout().toMillis(),
                            TimeUnit.MILLISECONDS);
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    return;
                }
            }
            try {
                LockGatewayGrpc.newStub(channel).connect(this);
            } catch (RuntimeException e) {
                finish("could not start the call: " + e.getMessage());
                return;
            }
            send(LockMessage.newBuilder().setHello(Hello.newBuilder()
                    .setLockId(lockId)
                    .setSigningKeyId(keys.signingKeyId())
                    .setFirmwareVersion(firmwareVersion)).build());
        }

        boolean authenticated() {
            return authenticated && !isFinished();
        }

        private synchronized boolean isFinished() {
            return finished;
        }

        /** Writes one message up the stream; false if the stream is gone. Serialized: a gRPC stream takes one writer. */
        synchronized boolean send(LockMessage message) {
            if (finished || upstream == null) {
                return false;
            }
            try {
                upstream.onNext(message);
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public void onNext(GatewayMessage message) {
            switch (message.getBodyCase()) {
                case CHALLENGE -> onChallenge(message.getChallenge().getNonce().toByteArray());
                case WELCOME -> onWelcomeMessage(message.getWelcome().getSessionId());
                case COMMAND -> {
                    if (!authenticated) {
                        abort("command before the handshake completed");
                        return;
                    }
                    byte[] ack;
                    try {
                        ack = handler.onCommand(message.getCommand().getEnvelope().toByteArray());
                    } catch (RuntimeException e) {
                        LOG.errorf(e, "lock %s could not handle a command", lockId);
                        abort("command handling failed");
                        return;
                    }
                    send(LockMessage.newBuilder().setCommandResult(CommandResult.newBuilder().setSignedAck(ByteString.copyFrom(ack))).build());
                }
                case HEARTBEAT_ACK -> LOG.tracef("lock %s heartbeat acknowledged", lockId);
                default -> LOG.debugf("lock %s ignores an unknown gateway message", lockId);
            }
        }

        private void onChallenge(byte[] nonce) {
            synchronized (this) {
                if (challenged) {
                    nonce = null;
                } else {
                    challenged = true;
                }
            }
            if (nonce == null) {
                abort("second challenge on one stream");
                return;
            }
            byte[] signature;
            try {
                signature = GatewayChallenge.sign(keys, lockId, nonce);
            } catch (IllegalArgumentException e) {
                abort("unusable challenge: " + e.getMessage());
                return;
            }
            send(LockMessage.newBuilder().setChallengeResponse(ChallengeResponse.newBuilder().setSignature(ByteString.copyFrom(signature)))
                    .build());
        }

        private void onWelcomeMessage(String sessionId) {
            synchronized (this) {
                if (!challenged || authenticated || finished) {
                    sessionId = null;
                } else {
                    authenticated = true;
                    if (handshakeTimer != null) {
                        handshakeTimer.cancel(false);
                    }
                    long every = settings.heartbeatInterval().toMillis();
                    try {
                        heartbeat = scheduler.scheduleAtFixedRate(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
                    } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                        // the fleet is stopping
                    }
                }
            }
            if (sessionId == null) {
                abort("unexpected welcome");
                return;
            }
            onWelcome(sessionId);
        }

        private void heartbeat() {
            send(LockMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
                    .setLockTime(timestamp(Instant.now()))
                    .setBatteryPercent(batteryPercent.getAsInt())).build());
        }

        @Override
        public void onError(Throwable t) {
            Status status = Status.fromThrowable(t);
            finish(status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription()));
        }

        @Override
        public void onCompleted() {
            synchronized (this) {
                if (!finished && upstream != null) {
                    try {
                        upstream.onCompleted();
                    } catch (RuntimeException ignored) {
                        // already closed
                    }
                }
            }
            finish("closed by the gateway");
        }

        /** Gives up on this stream (the server sees a cancellation); a reconnect follows. */
        void abort(String why) {
            synchronized (this) {
                if (!finished && upstream != null) {
                    upstream.cancel(why, null);
                }
            }
            finish(why);
        }

        /** Ends the stream for good (the link is closing): a clean half-close if authenticated, else a cancel. */
        void close() {
            synchronized (this) {
                if (!finished && upstream != null) {
                    try {
                        if (authenticated) {
                            upstream.onCompleted();
                        } else {
                            upstream.cancel("lock shutting down", null);
                        }
                    } catch (RuntimeException ignored) {
                        // already closed
                    }
                }
            }
            finish("closed");
        }

        private void finish(String why) {
            boolean wasAuthenticated;
            synchronized (this) {
                if (finished) {
                    return;
                }
                finished = true;
                wasAuthenticated = authenticated;
                if (handshakeTimer != null) {
                    handshakeTimer.cancel(false);
                }
                if (heartbeat != null) {
                    heartbeat.cancel(false);
                }
            }
            onFinished(this, why, wasAuthenticated);
        }
    }
}
