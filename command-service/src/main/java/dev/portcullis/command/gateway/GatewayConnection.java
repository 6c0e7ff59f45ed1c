package dev.portcullis.command.gateway;

import com.google.protobuf.ByteString;
import dev.portcullis.command.CommandConfig;
import dev.portcullis.command.events.UnlockEvents;
import dev.portcullis.command.peers.RegistryClient;
import dev.portcullis.lock.protocol.GatewayChallenge;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.proto.gateway.v1.Challenge;
import dev.portcullis.proto.gateway.v1.GatewayMessage;
import dev.portcullis.proto.gateway.v1.HeartbeatAck;
import dev.portcullis.proto.gateway.v1.Hello;
import dev.portcullis.proto.gateway.v1.LockMessage;
import dev.portcullis.proto.gateway.v1.Welcome;
import dev.portcullis.proto.registry.v1.Lock;
import dev.portcullis.proto.registry.v1.LockStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import java.security.SecureRandom;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * One lock's gateway stream: Hello → Challenge → ChallengeResponse (signed with the enrolled lock key)
 * → Welcome; then commands down, acknowledgements, events and heartbeats up. Anything out of order, an
 * unknown or unenrolled lock, or a bad signature closes the stream with UNAUTHENTICATED.
 */
final class GatewayConnection {

    private static final Logger LOG = Logger.getLogger(GatewayConnection.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State { AWAITING_HELLO, AWAITING_RESPONSE, AUTHENTICATED, CLOSED }

    private final LockSessions sessions;
    private final RegistryClient registry;
    private final LockEventPublisher events;
    private final LockClocks clocks;
    private final CommandConfig.Gateway config;
    private final Vertx vertx;

    private volatile State state = State.AWAITING_HELLO;
    private MultiEmitter<? super GatewayMessage> downstream;
    private Lock lock;
    private LockIdentity identity;
    private byte[] nonce;
    private volatile LockSession session;

    GatewayConnection(LockSessions sessions, RegistryClient registry, LockEventPublisher events, LockClocks clocks,
            CommandConfig.Gateway config, Vertx vertx) {
        this.sessions = sessions;
        this.registry = registry;
        this.events = events;
        this.clocks = clocks;
        this.config = config;
        this.vertx = vertx;
    }

    Multi<GatewayMessage> run(Multi<LockMessage> incoming) {
        return Multi.createFrom().emitter(emitter -> {
            downstream = emitter;
            long authTimer = vertx.setTimer(config.authenticationTimeout().toMillis(), id -> {
                if (state != State.AUTHENTICATED && state != State.CLOSED) {
                    fail(Status.UNAUTHENTICATED.withDescription("authentication timed out"));
                }
            });
            Cancellable subscription = incoming
                    .onItem().transformToUniAndConcatenate(message -> handle(message)
                            .onFailure().invoke(this::failWith)
                            .onFailure().recoverWithNull())
                    .subscribe().with(ignored -> { }, this::failWith, this::complete);
            emitter.onTermination(() -> {
                vertx.cancelTimer(authTimer);
                subscription.cancel();
                closeSession(null);
            });
        });
    }

    private Uni<Void> handle(LockMessage message) {
        if (session != null) {
            session.touch();
        }
        return switch (state) {
            case AWAITING_HELLO -> message.hasHello() ? onHello(message.getHello()) : reject("expected hello");
            case AWAITING_RESPONSE -> message.hasChallengeResponse()
                    ? onChallengeResponse(message.getChallengeResponse().getSignature().toByteArray())
                    : reject("expected challenge response");
            case AUTHENTICATED -> onAuthenticated(message);
            case CLOSED -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> onHello(Hello hello) {
        return registry.getLock(hello.getLockId())
                .onFailure().transform(failure -> refused(hello, "registry look-up failed: " + failure))
                .map(found -> {
                    if (found.getStatus() != LockStatus.LOCK_STATUS_ENROLLED) {
                        throw refused(hello, "lock is " + found.getStatus());
                    }
                    if (!found.getSigningKey().getKeyId().equals(hello.getSigningKeyId())) {
                        throw refused(hello, "signing key " + hello.getSigningKeyId() + " is not the enrolled one");
                    }
                    lock = found;
                    identity = RegistryClient.identity(found);
                    nonce = new byte[32];
                    RANDOM.nextBytes(nonce);
                    state = State.AWAITING_RESPONSE;
                    downstream.emit(GatewayMessage.newBuilder()
                            .setChallenge(Challenge.newBuilder()
                                    .setNonce(ByteString.copyFrom(nonce))
                                    .setServerTime(UnlockEvents.timestamp(Instant.now())))
                            .build());
                    return null;
                });
    }

    private Uni<Void> onChallengeResponse(byte[] signature) {
        if (!GatewayChallenge.verify(identity.signingKey(), identity.lockId(), nonce, signature)) {
            LOG.infof("lock %s refused on the gateway: bad challenge signature", identity.lockId());
            return Uni.createFrom().failure(unauthenticated());
        }
        state = State.AUTHENTICATED;
        session = new LockSession(identity, lock.getOrganizationId(), lock.getDoorId(), downstream);
        sessions.register(session);
        LOG.infof("lock %s connected (session %s)", identity.lockId(), session.id());
        downstream.emit(GatewayMessage.newBuilder()
                .setWelcome(Welcome.newBuilder().setSessionId(session.id()).setServerTime(UnlockEvents.timestamp(Instant.now())))
                .build());
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> onAuthenticated(LockMessage message) {
        switch (message.getBodyCase()) {
            case COMMAND_RESULT -> session.onAcknowledgement(message.getCommandResult().getSignedAck().toByteArray());
            case HEARTBEAT -> {
                downstream.emit(GatewayMessage.newBuilder()
                        .setHeartbeatAck(HeartbeatAck.newBuilder().setServerTime(UnlockEvents.timestamp(Instant.now())))
                        .build());
                if (message.getHeartbeat().hasLockTime()) {
                    com.google.protobuf.Timestamp at = message.getHeartbeat().getLockTime();
                    return clocks.observe(session, Instant.ofEpochSecond(at.getSeconds(), at.getNanos()));
                }
            }
            case EVENT -> {
                return events.publish(session, message.getEvent());
            }
            case CREDENTIAL_INVENTORY -> {
                return events.publishInventory(session, message.getCredentialInventory());
            }
            default -> {
                return reject("unexpected message after authentication");
            }
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> reject(String why) {
        return Uni.createFrom().failure(Status.FAILED_PRECONDITION.withDescription(why).asRuntimeException());
    }

    private static StatusRuntimeException refused(Hello hello, String why) {
        LOG.infof("lock %.64s refused on the gateway: %s", hello.getLockId(), why);
        return unauthenticated();
    }

    private static StatusRuntimeException unauthenticated() {
        // One answer for unknown lock, unenrolled lock, wrong key or bad signature: no oracle.
        return Status.UNAUTHENTICATED.withDescription("lock authentication failed").asRuntimeException();
    }

    private void failWith(Throwable failure) {
        Status status = failure instanceof StatusRuntimeException sre ? sre.getStatus() : Status.INTERNAL.withDescription("gateway error");
        if (!(failure instanceof StatusRuntimeException)) {
            LOG.warnf("gateway stream failed: %s", failure.toString());
        }
        fail(status);
    }

    private synchronized void fail(Status status) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeSession(status.asRuntimeException());
        downstream.fail(status.asRuntimeException());
    }

    private synchronized void complete() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        closeSession(null);
        downstream.complete();
    }

    private void closeSession(Throwable cause) {
        LockSession current = session;
        if (current != null) {
            session = null;
            sessions.unregister(current, cause);
            LOG.infof("lock %s disconnected", current.lock().lockId());
        }
    }
}
