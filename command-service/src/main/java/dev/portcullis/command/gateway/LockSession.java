package dev.portcullis.command.gateway;

import com.google.protobuf.ByteString;
import dev.portcullis.lock.protocol.Acknowledgement;
import dev.portcullis.lock.protocol.AckRejectedException;
import dev.portcullis.lock.protocol.AckVerifier;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.lock.protocol.SealedCommand;
import dev.portcullis.proto.gateway.v1.CommandDelivery;
import dev.portcullis.proto.gateway.v1.GatewayMessage;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiEmitter;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One authenticated gateway stream to one lock. Commands go down; each waits for the signed
 * acknowledgement bound to its hash. An acknowledgement that matches no pending command (late,
 * duplicated or forged) is ignored.
 */
public final class LockSession {

    private static final Logger LOG = Logger.getLogger(LockSession.class);

    private final String id = UUID.randomUUID().toString();
    private final LockIdentity lock;
    private final String organizationId;
    private final String doorId;
    private final MultiEmitter<? super GatewayMessage> downstream;
    private final Map<ByteBuffer, CompletableFuture<ReceivedAcknowledgement>> pending = new ConcurrentHashMap<>();
    private final AckVerifier ackVerifier = new AckVerifier();
    private final Instant connectedAt = Instant.now();
    private volatile Instant lastSeen = connectedAt;
    private volatile CompletableFuture<Void> presenceAnnounced = CompletableFuture.completedFuture(null);
    private boolean clockOff;
    private int clockEpisodes;
    /** Completes when the last step queued by {@link #inCounterOrder} has finished. */
    private CompletableFuture<Void> lane = CompletableFuture.completedFuture(null);

    LockSession(LockIdentity lock, String organizationId, String doorId, MultiEmitter<? super GatewayMessage> downstream) {
        this.lock = lock;
        this.organizationId = organizationId;
        this.doorId = doorId;
        this.downstream = downstream;
    }

    public String id() {
        return id;
    }

    public LockIdentity lock() {
        return lock;
    }

    public String organizationId() {
        return organizationId;
    }

    public String doorId() {
        return doorId;
    }

    public Instant connectedAt() {
        return connectedAt;
    }

    public Instant lastSeen() {
        return lastSeen;
    }

    /**
     * Records whether the lock's clock is off now; answers the number of a new episode of being off
     * (to be reported), or -1 when nothing changed worth reporting.
     */
    synchronized int clockEpisode(boolean off) {
        boolean started = off && !clockOff;
        clockOff = off;
        return started ? ++clockEpisodes : -1;
    }

    /** Completes when this stream's online announcement is written (LockPresence orders offline after it). */
    CompletableFuture<Void> presenceAnnounced() {
        return presenceAnnounced;
    }

    void presenceAnnounced(CompletableFuture<Void> announced) {
        presenceAnnounced = announced;
    }

    void touch() {
        lastSeen = Instant.now();
    }

    /**
     * Runs {@code step} after every step queued before it on this stream has finished, on
     * {@code context}. The dispatcher seals (allocating the counter) and sends inside one step, so
     * commands leave in counter order: a lock refuses a counter lower than one it has seen, and two
     * unlocks racing for one lock must not turn the earlier one into a "replay".
     */
    public <T> Uni<T> inCounterOrder(Executor context, Supplier<Uni<T>> step) {
        return Uni.createFrom().deferred(() -> {
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> previous;
            synchronized (this) {
                previous = lane;
                lane = mine;
            }
            return Uni.createFrom().completionStage(previous)
                    .emitOn(context)
                    .flatMap(ignored -> step.get())
                    .onTermination().invoke(() -> mine.complete(null));
        });
    }

    /**
     * Sends the command once and returns the lock's verified acknowledgement. The command is never
     * re-sent: if the stream drops, the returned Uni fails and the attempt expires.
     */
    public Uni<ReceivedAcknowledgement> deliver(SealedCommand command) {
        CompletableFuture<ReceivedAcknowledgement> acknowledged = new CompletableFuture<>();
        ByteBuffer key = ByteBuffer.wrap(command.commandHash());
        pending.put(key, acknowledged);
        downstream.emit(GatewayMessage.newBuilder()
                .setCommand(CommandDelivery.newBuilder().setEnvelope(ByteString.copyFrom(command.envelope())))
                .build());
        return Uni.createFrom().completionStage(acknowledged)
                .onTermination().invoke(() -> pending.remove(key, acknowledged));
    }

    /** A signed acknowledgement arrived on the stream. */
    void onAcknowledgement(byte[] signedAck) {
        for (Map.Entry<ByteBuffer, CompletableFuture<ReceivedAcknowledgement>> entry : pending.entrySet()) {
            byte[] expectedHash = new byte[entry.getKey().remaining()];
            entry.getKey().duplicate().get(expectedHash);
            try {
                Acknowledgement ack = ackVerifier.verify(signedAck, expectedHash, lock);
                if (pending.remove(entry.getKey(), entry.getValue())) {
                    entry.getValue().complete(new ReceivedAcknowledgement(ack, signedAck));
                }
                return;
            } catch (AckRejectedException notThisOne) {
                // try the next pending command
            }
        }
        LOG.infof("acknowledgement from lock %s matches no pending command; ignored (late, duplicate or forged)", lock.lockId());
    }

    /** Ends the stream from this side (idle, or replaced by a newer one); the lock will reconnect. */
    void end(String why) {
        LOG.infof("ending the gateway stream of lock %s: %s", lock.lockId(), why);
        close(new IllegalStateException(why));
        downstream.fail(Status.UNAVAILABLE.withDescription(why).asRuntimeException());
    }

    /** The stream ended: every command still waiting will never be acknowledged on it. */
    void close(Throwable cause) {
        LockDisconnectedException failure = new LockDisconnectedException(lock.lockId(), cause);
        pending.values().forEach(future -> future.completeExceptionally(failure));
        pending.clear();
    }

    /** A verified acknowledgement and the exact bytes the lock signed (kept as evidence for the audit). */
    public record ReceivedAcknowledgement(Acknowledgement acknowledgement, byte[] signedBytes) {
    }

    /** The lock's stream ended while a command waited for its acknowledgement. */
    public static final class LockDisconnectedException extends RuntimeException {
        LockDisconnectedException(String lockId, Throwable cause) {
            super("lock " + lockId + " disconnected", cause, false, false);
        }
    }
}
