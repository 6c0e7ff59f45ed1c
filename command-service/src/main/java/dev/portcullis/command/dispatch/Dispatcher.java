package dev.portcullis.command.dispatch;

import dev.portcullis.command.CommandConfig;
import dev.portcullis.command.gateway.LockClocks;
import dev.portcullis.command.gateway.LockSession;
import dev.portcullis.command.gateway.LockSessions;
import dev.portcullis.command.peers.RegistryClient;
import dev.portcullis.command.routing.LockRoutes;
import dev.portcullis.command.routing.RelayClient;
import dev.portcullis.command.routing.Replica;
import dev.portcullis.command.unlock.AttemptStatus;
import dev.portcullis.command.unlock.UnlockService;
import dev.portcullis.command.unlock.ActionAttemptEntity;
import dev.portcullis.command.unlock.ActionAttempts;
import dev.portcullis.lock.protocol.Acknowledgement;
import dev.portcullis.lock.protocol.Attribution;
import dev.portcullis.lock.protocol.CommandBuilder;
import dev.portcullis.lock.protocol.CommandSpec;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.lock.protocol.LockCommandAction;
import dev.portcullis.lock.protocol.LockIdentity;
import dev.portcullis.lock.protocol.PlatformKeys;
import dev.portcullis.lock.protocol.SealedCommand;
import dev.portcullis.proto.registry.v1.ResolveDoorResponse;
import io.grpc.Status;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Turns an authorized attempt into exactly one command for exactly one lock, sends it once down the
 * lock's open stream, and waits (bounded by the command's expiry) for the signed acknowledgement.
 * Unlocks never wait in a queue: an offline lock fails at once; an unacknowledged command expires.
 * A lock connected to another replica is reached through that replica (lock_route, CommandRelay).
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    @Inject
    RegistryClient registry;

    @Inject
    LockSessions sessions;

    @Inject
    LockCounterRepository counters;

    @Inject
    ActionAttempts attempts;

    @Inject
    CommandConfig config;

    @Inject
    LockRoutes routes;

    @Inject
    RelayClient relay;

    @Inject
    Replica replica;

    @Inject
    LockClocks clocks;

    private static final String LOCK_OFFLINE = "LOCK_OFFLINE";

    private final CommandBuilder builder;

    @Inject
    Dispatcher(PlatformKeys platformKeys) {
        this.builder = new CommandBuilder(platformKeys);
    }

    public Uni<ActionAttemptEntity> dispatch(ActionAttemptEntity attempt, Executor here) {
        return dispatch(attempt, here, null);
    }

    /** As above, for a credential change: {@code credential} is sealed into the command (and never stored). */
    public Uni<ActionAttemptEntity> dispatch(ActionAttemptEntity attempt, Executor here, CredentialSpec credential) {
        return registry.resolveDoor(attempt.organizationId, attempt.doorId)
                .emitOn(here)
                .onItemOrFailure().transformToUni((resolved, failure) -> failure != null
                        ? attempts.recordNotDispatched(attempt.id, null, registryReason(failure))
                        : route(attempt, resolved, here, credential));
    }

    /**
     * The holder's side of a relay (CommandRelay.Dispatch): another replica authorized the attempt, this
     * one holds the lock's stream. Acts only on an attempt still authorized and undispatched; never relays
     * further (a lock that left meanwhile is offline).
     */
    public Uni<ActionAttemptEntity> dispatchRelayed(UUID attemptId, CredentialSpec credential) {
        Executor here = UnlockService.currentContext();
        return attempts.find(attemptId).flatMap(attempt -> {
            if (attempt == null || attempt.status != AttemptStatus.AUTHORIZED) {
                return Uni.createFrom().failure(Status.FAILED_PRECONDITION
                        .withDescription("the action attempt is not waiting to be dispatched").asRuntimeException());
            }
            if (!carriesItsOwnCredential(attempt, credential)) {
                // a relay call cannot swap the credential the registry authorized, nor add one to an unlock
                return Uni.createFrom().failure(Status.FAILED_PRECONDITION
                        .withDescription("the credential is not the one this action attempt carries").asRuntimeException());
            }
            return registry.resolveDoor(attempt.organizationId, attempt.doorId)
                    .emitOn(here)
                    .onItemOrFailure().transformToUni((resolved, failure) -> {
                        if (failure != null) {
                            return attempts.recordNotDispatched(attempt.id, null, registryReason(failure));
                        }
                        UUID lockId = UUID.fromString(resolved.getLock().getId());
                        return sessions.find(resolved.getLock().getId())
                                .map(session -> deliver(attempt, lockId, RegistryClient.identity(resolved.getLock()), session, here, credential))
                                .orElseGet(() -> attempts.recordNotDispatched(attempt.id, lockId, LOCK_OFFLINE));
                    });
        });
    }

    /**
     * The lock's stream is here, on another replica (relay to it), or nowhere (offline: fail at once,
     * nothing is queued).
     */
    private Uni<ActionAttemptEntity> route(ActionAttemptEntity attempt, ResolveDoorResponse resolved, Executor here,
            CredentialSpec credential) {
        UUID lockId = UUID.fromString(resolved.getLock().getId());
        LockIdentity lock = RegistryClient.identity(resolved.getLock());
        Optional<LockSession> session = sessions.find(resolved.getLock().getId());
        if (session.isPresent()) {
            return deliver(attempt, lockId, lock, session.get(), here, credential);
        }
        return routes.find(lockId).emitOn(here).flatMap(route -> {
            if (route == null || route.replicaId().equals(replica.id())) {
                return attempts.recordNotDispatched(attempt.id, lockId, LOCK_OFFLINE);
            }
            return relay.dispatch(route, attempt.id, lockId, credential)
                    .emitOn(here)
                    .onItemOrFailure().transformToUni((relayed, failure) -> {
                        if (failure == null) {
                            return attempts.find(attempt.id);
                        }
                        // The holder may have dispatched before the answer was lost: then the attempt is
                        // no longer authorized and stays as the holder records it.
                        LOG.warnf("relay of attempt %s to replica %s failed: %s", attempt.id, route.replicaId(), failure.toString());
                        return attempts.recordNotDispatched(attempt.id, lockId, "LOCK_UNREACHABLE");
                    });
        });
    }

    private Uni<ActionAttemptEntity> deliver(ActionAttemptEntity attempt, UUID lockId, LockIdentity lock, LockSession stream, Executor here,
            CredentialSpec credential) {
        // Sealed and sent in one ordered step per lock; the acknowledgement is awaited outside it.
        return stream.inCounterOrder(here, () -> seal(attempt, lockId, lock, credential).map(command -> new Sent(command, stream.deliver(command))))
                .flatMap(sent -> {
            SealedCommand command = sent.command();
            Duration wait = Duration.between(Instant.now(), command.expiresAt()).plus(config.acknowledgementGrace());
            return sent.acknowledgement()
                    .ifNoItem().after(wait.isNegative() ? Duration.ZERO : wait).fail()
                    .emitOn(here)
                    .onItemOrFailure().transformToUni((received, failure) -> {
                        if (failure != null) {
                            String reason = failure instanceof LockSession.LockDisconnectedException
                                    ? "LOCK_DISCONNECTED" : "NO_ACKNOWLEDGEMENT";
                            return attempts.recordExpiry(attempt.id, reason);
                        }
                        Acknowledgement ack = received.acknowledgement();
                        // The signed acknowledgement carries the lock's clock: a skewed one is alerted.
                        Uni<Void> clockChecked = clocks.observe(stream, ack.lockTime());
                        if (ack.outcome() == Acknowledgement.Outcome.EXECUTED) {
                            return clockChecked.flatMap(ignored -> attempts.recordSuccess(attempt.id, received));
                        }
                        LOG.infof("lock %s refused command %s: %s", lock.lockId(), command.commandId(), ack.reason());
                        return clockChecked.flatMap(ignored -> attempts.recordFailure(attempt.id, lockId, "LOCK_REFUSED_" + ack.reason()));
                    });
        });
    }

    private record Sent(SealedCommand command, Uni<LockSession.ReceivedAcknowledgement> acknowledgement) {
    }

    /** Counter allocation, sealing and the "dispatched" record commit together, before anything is sent. */
    @WithTransaction
    Uni<SealedCommand> seal(ActionAttemptEntity attempt, UUID lockId, LockIdentity lock, CredentialSpec credential) {
        return counters.next(lockId, lock.keyEpoch()).flatMap(counter -> {
            Instant issuedAt = Instant.now();
            SealedCommand command = builder.seal(new CommandSpec(UUID.randomUUID(), commandAction(attempt.action), counter, issuedAt,
                    issuedAt.plus(config.commandLifetime()),
                    new Attribution(attempt.organizationId.toString(), attempt.requesterId, attempt.method, attempt.id.toString()),
                    credential),
                    lock);
            return attempts.recordDispatch(attempt.id, lockId, command).replaceWith(command);
        });
    }

    /** SHA-256 of a credential's serialized form: what a credential attempt records and a relay must match. */
    public static byte[] digestOf(CredentialSpec credential) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(credential.serialize());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required", e);
        }
    }

    private static boolean carriesItsOwnCredential(ActionAttemptEntity attempt, CredentialSpec credential) {
        if (attempt.credentialDigest == null || credential == null) {
            return attempt.credentialDigest == null && credential == null;
        }
        return java.security.MessageDigest.isEqual(attempt.credentialDigest, digestOf(credential));
    }

    private static LockCommandAction commandAction(String action) {
        return switch (LockAction.valueOf(action)) {
            case LOCK_ACTION_UNLOCK -> LockCommandAction.UNLOCK;
            case LOCK_ACTION_LOCK -> LockCommandAction.LOCK;
            case LOCK_ACTION_CREDENTIAL_PUT -> LockCommandAction.CREDENTIAL_PUT;
            case LOCK_ACTION_CREDENTIAL_REMOVE -> LockCommandAction.CREDENTIAL_REMOVE;
            default -> throw new IllegalStateException("no lock command for " + action);
        };
    }

    private static String registryReason(Throwable failure) {
        Status status = Status.fromThrowable(failure);
        return switch (status.getCode()) {
            case NOT_FOUND -> "UNKNOWN_DOOR";
            case FAILED_PRECONDITION -> "NO_ENROLLED_LOCK";
            default -> "REGISTRY_UNAVAILABLE";
        };
    }
}
