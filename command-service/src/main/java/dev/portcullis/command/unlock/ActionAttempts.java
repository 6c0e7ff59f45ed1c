package dev.portcullis.command.unlock;

import com.google.protobuf.ByteString;
import dev.portcullis.command.CommandConfig;
import dev.portcullis.command.events.UnlockEvents;
import dev.portcullis.command.gateway.LockSession.ReceivedAcknowledgement;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.lock.protocol.SealedCommand;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.events.v1.ApprovalGranted;
import dev.portcullis.proto.events.v1.ApprovalRequested;
import dev.portcullis.proto.events.v1.UnlockAcknowledged;
import dev.portcullis.proto.events.v1.UnlockDecided;
import dev.portcullis.proto.events.v1.UnlockDispatched;
import dev.portcullis.proto.events.v1.UnlockExpired;
import dev.portcullis.proto.events.v1.UnlockFailed;
import dev.portcullis.proto.events.v1.UnlockRequested;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.SecondApprover;
import dev.portcullis.proto.policy.v1.StepUp;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/**
 * The action attempt's state machine. Every transition and the event that announces it are written in
 * one transaction (outbox), so an event exists exactly when the state change does.
 */
@ApplicationScoped
public class ActionAttempts {

    @Inject
    ActionAttemptRepository repository;

    @Inject
    UnlockEvents events;

    @Inject
    CommandConfig config;

    /** The attempt for this idempotency key: created now (with its "requested" event), or the existing one. */
    public record Opened(ActionAttemptEntity attempt, boolean created) {
    }

    public Uni<Opened> open(Requester requester, UUID doorId, String key, LockAction action, AccessMethod method) {
        return open(requester, doorId, key, action, method, null);
    }

    /** As above, for a partner acting on behalf of someone it names (recorded, and announced in the "requested" event). */
    public Uni<Opened> open(Requester requester, UUID doorId, String key, LockAction action, AccessMethod method, String onBehalfOf) {
        return create(requester, doorId, key, action, method, onBehalfOf)
                .map(created -> new Opened(created, true))
                .onFailure(ActionAttempts::isUniqueViolation)
                .recoverWithUni(() -> repository.findByIdempotencyKey(requester.organizationId(), requester.subject(), key)
                        .map(existing -> {
                            if (existing == null) {
                                throw new IllegalStateException("idempotency conflict without a stored attempt");
                            }
                            if (!existing.doorId.equals(doorId) || !existing.action.equals(action.name())) {
                                throw ProblemException.conflict("idempotency-key-reused",
                                        "This Idempotency-Key was already used for a different request");
                            }
                            return new Opened(existing, false);
                        }));
    }

    @WithTransaction
    Uni<ActionAttemptEntity> create(Requester requester, UUID doorId, String key, LockAction action, AccessMethod method,
            String onBehalfOf) {
        OffsetDateTime now = now();
        ActionAttemptEntity attempt = new ActionAttemptEntity();
        attempt.id = UUID.randomUUID();
        attempt.organizationId = requester.organizationId();
        attempt.requesterType = requester.type().name();
        attempt.requesterId = requester.subject();
        attempt.clientId = requester.clientId();
        attempt.idempotencyKey = key;
        attempt.onBehalfOf = onBehalfOf;
        attempt.doorId = doorId;
        attempt.action = action.name();
        attempt.method = method.name();
        attempt.status = AttemptStatus.REQUESTED;
        attempt.requesterAuthentication = requester.authentication().toByteArray();
        attempt.createdAt = now;
        attempt.updatedAt = now;
        return repository.persist(attempt)
                .call(repository::flush)
                .call(saved -> events.emit(saved, "unlock_requested", envelope -> envelope.setUnlockRequested(
                        UnlockRequested.newBuilder()
                                .setActionAttemptId(saved.id.toString())
                                .setDoorId(saved.doorId.toString())
                                .setAction(action)
                                .setMethod(method)
                                .setAuthentication(requester.authentication())
                                .setOnBehalfOf(onBehalfOf == null ? "" : onBehalfOf))));
    }

    @WithTransaction
    public Uni<ActionAttemptEntity> recordDecision(UUID attemptId, AuthorizeResponse decision, List<String> reasons) {
        // A permit binds only with every obligation met; the ones this service cannot meet yet (a step-up the
        // token does not satisfy, a second approver) turn it into a refusal: fail closed.
        boolean permit = decision.getDecision() == Decision.DECISION_PERMIT;
        boolean permitted = permit && Obligations.allMet(decision);
        boolean pending = permit && !permitted && Obligations.awaitsApprover(decision);
        StepUp stepUp = Obligations.stepUp(decision);
        SecondApprover approver = Obligations.secondApprover(decision);
        AttemptStatus to = permitted ? AttemptStatus.AUTHORIZED : pending ? AttemptStatus.PENDING_APPROVAL : AttemptStatus.DENIED;
        return transition(attemptId, to, attempt -> {
            attempt.setReasons(reasons);
            if (pending) {
                attempt.approvalRole = approver.getEligibleRole();
                attempt.approvalExpiresAt = now().plus(config.approvalTimeout());
            }
            if (stepUp != null) {
                attempt.stepUpAcrValues = stepUp.getAcrValuesCount() == 0 ? null : String.join(" ", stepUp.getAcrValuesList());
                attempt.stepUpMaxAge = stepUp.getMaxAgeSeconds() > 0 ? stepUp.getMaxAgeSeconds() : null;
            }
            attempt.decisionId = decision.getDecisionId();
            attempt.policyVersion = decision.getPolicyVersion();
            attempt.grantId = decision.getGrantId().isEmpty() ? null : decision.getGrantId();
        }).call(attempt -> emitDecided(attempt, decision, permitted || pending))
                .call(attempt -> !pending ? Uni.createFrom().voidItem()
                        : events.emit(attempt, "approval_requested", envelope -> envelope.setApprovalRequested(ApprovalRequested.newBuilder()
                                .setActionAttemptId(attempt.id.toString())
                                .setDoorId(attempt.doorId.toString())
                                .setEligibleRole(attempt.approvalRole)
                                .setExpiresAt(UnlockEvents.timestamp(attempt.approvalExpiresAt.toInstant())))));
    }

    private Uni<Void> emitDecided(ActionAttemptEntity attempt, AuthorizeResponse decision, boolean permit) {
        return events.emit(attempt, "unlock_decided", envelope -> envelope.setUnlockDecided(UnlockDecided.newBuilder()
                .setActionAttemptId(attempt.id.toString())
                .setDoorId(attempt.doorId.toString())
                .setDecision(permit ? Decision.DECISION_PERMIT : Decision.DECISION_DENY)
                .addAllReasons(decision.getReasonsList())
                .setPolicyVersion(decision.getPolicyVersion())
                .setDecisionId(decision.getDecisionId())
                .setGrantId(decision.getGrantId())));
    }

    /**
     * A credential change device-registry sends (LockCredentials.Apply): authorized by the registry,
     * where an operator made it; policy decides unlocks, not credential administration. Announced like a
     * permit (no policy reasons, no policy version) so the audit shows who authorized what.
     */
    @WithTransaction
    public Uni<ActionAttemptEntity> recordRegistryAuthorization(UUID attemptId, byte[] credentialDigest) {
        return transition(attemptId, AttemptStatus.AUTHORIZED, attempt -> {
                    attempt.setReasons(List.of("REGISTRY_CHANGE"));
                    attempt.credentialDigest = credentialDigest.clone();
                })
                .call(attempt -> events.emit(attempt, "unlock_decided", envelope -> envelope.setUnlockDecided(UnlockDecided.newBuilder()
                        .setActionAttemptId(attempt.id.toString())
                        .setDoorId(attempt.doorId.toString())
                        .setDecision(Decision.DECISION_PERMIT))));
    }

    /**
     * Records the second person's approval, once: under the attempt's row lock it must still wait for
     * one, be within its deadline and have none yet; the approver is never the requester.
     */
    @WithTransaction
    public Uni<ActionAttemptEntity> recordApproval(UUID attemptId, Requester approver, OffsetDateTime at) {
        return repository.findById(attemptId, LockModeType.PESSIMISTIC_WRITE).flatMap(attempt -> {
            Approvals.requireApprovable(attempt, approver, at);
            attempt.approverId = approver.subject();
            attempt.approverAcr = approver.acr();
            attempt.approverAuthTime = OffsetDateTime.ofInstant(java.time.Instant.ofEpochSecond(approver.authTime()), ZoneOffset.UTC);
            attempt.approvedAt = at;
            attempt.updatedAt = at;
            return events.emit(attempt, "approval_granted", envelope -> envelope
                    .setActor(dev.portcullis.proto.common.v1.Actor.newBuilder()
                            .setType(approver.type())
                            .setId(approver.subject())
                            .setOrganizationId(approver.organizationId().toString())
                            .setClientId(approver.clientId() == null ? "" : approver.clientId()))
                    .setApprovalGranted(ApprovalGranted.newBuilder()
                            .setActionAttemptId(attempt.id.toString())
                            .setDoorId(attempt.doorId.toString())
                            .setApproverId(approver.subject())
                            .setAcr(approver.acr() == null ? "" : approver.acr())
                            .setAuthTime(UnlockEvents.timestamp(java.time.Instant.ofEpochSecond(approver.authTime())))))
                    .replaceWith(attempt);
        });
    }

    /**
     * Policy's fresh decision after the approval: the approval meets the second-approver obligation;
     * anything else still unmet (a step-up the requester's sign-in no longer satisfies, a revoked grant)
     * denies. Only an approved attempt still waiting moves on.
     */
    @WithTransaction
    public Uni<ActionAttemptEntity> recordDecisionAfterApproval(UUID attemptId, AuthorizeResponse decision, List<String> reasons) {
        boolean permitted = decision.getDecision() == Decision.DECISION_PERMIT && Obligations.metWithApproval(decision);
        return repository.findById(attemptId, LockModeType.PESSIMISTIC_WRITE).flatMap(attempt -> {
            if (attempt.status != AttemptStatus.PENDING_APPROVAL || attempt.approverId == null) {
                throw ProblemException.conflict("approval-expired", "This unlock no longer waits for an approval");
            }
            attempt.status = permitted ? AttemptStatus.AUTHORIZED : AttemptStatus.DENIED;
            attempt.updatedAt = now();
            attempt.setReasons(reasons);
            attempt.decisionId = decision.getDecisionId();
            attempt.policyVersion = decision.getPolicyVersion();
            attempt.grantId = decision.getGrantId().isEmpty() ? null : decision.getGrantId();
            return emitDecided(attempt, decision, permitted).replaceWith(attempt);
        });
    }

    /**
     * Call inside the transaction that allocated the command's counter. Only an authorized attempt is
     * dispatched, once: checked under its row lock (two replicas can never both send it).
     */
    public Uni<ActionAttemptEntity> recordDispatch(UUID attemptId, UUID lockId, SealedCommand command) {
        return repository.findById(attemptId, LockModeType.PESSIMISTIC_WRITE).map(attempt -> {
            if (attempt.status != AttemptStatus.AUTHORIZED) {
                throw io.grpc.Status.FAILED_PRECONDITION
                        .withDescription("attempt " + attemptId + " is " + attempt.status + ", not waiting to be dispatched").asRuntimeException();
            }
            return attempt;
        }).flatMap(ignored -> transition(attemptId, AttemptStatus.DISPATCHED, attempt -> {
            attempt.lockId = lockId;
            attempt.commandId = command.commandId();
            attempt.keyEpoch = command.keyEpoch();
            attempt.counter = command.counter();
            attempt.commandHash = command.commandHash();
            attempt.expiresAt = command.expiresAt().atOffset(ZoneOffset.UTC);
        })).call(attempt -> events.emit(attempt, "unlock_dispatched", envelope -> envelope.setUnlockDispatched(
                UnlockDispatched.newBuilder()
                        .setActionAttemptId(attempt.id.toString())
                        .setDoorId(attempt.doorId.toString())
                        .setLockId(lockId.toString())
                        .setCommandId(command.commandId().toString())
                        .setKeyEpoch(command.keyEpoch())
                        .setCounter(command.counter())
                        .setExpiresAt(UnlockEvents.timestamp(command.expiresAt()))
                        .setCommandHash(ByteString.copyFrom(command.commandHash())))));
    }

    @WithTransaction
    public Uni<ActionAttemptEntity> recordSuccess(UUID attemptId, ReceivedAcknowledgement received) {
        return transition(attemptId, AttemptStatus.SUCCEEDED, attempt -> {
                    attempt.setReasons(List.of());
                    byte[] digest = received.acknowledgement().credentialSetDigest();
                    attempt.credentialSetDigest = digest.length == 0 ? null : digest;
                })
                .call(attempt -> events.emit(attempt, "unlock_acknowledged", envelope -> envelope.setUnlockAcknowledged(
                        UnlockAcknowledged.newBuilder()
                                .setActionAttemptId(attempt.id.toString())
                                .setDoorId(attempt.doorId.toString())
                                .setLockId(attempt.lockId.toString())
                                .setCommandId(attempt.commandId.toString())
                                .setCommandHash(ByteString.copyFrom(attempt.commandHash))
                                .setSignedAck(ByteString.copyFrom(received.signedBytes()))
                                .setLockTime(UnlockEvents.timestamp(received.acknowledgement().lockTime())))));
    }

    @WithTransaction
    public Uni<ActionAttemptEntity> recordFailure(UUID attemptId, UUID lockId, String reason) {
        return transition(attemptId, AttemptStatus.FAILED, attempt -> {
            if (lockId != null) {
                attempt.lockId = lockId;
            }
            attempt.setReasons(List.of(reason));
        }).call(attempt -> events.emit(attempt, "unlock_failed", envelope -> envelope.setUnlockFailed(
                UnlockFailed.newBuilder()
                        .setActionAttemptId(attempt.id.toString())
                        .setDoorId(attempt.doorId.toString())
                        .setLockId(attempt.lockId == null ? "" : attempt.lockId.toString())
                        .setCommandId(attempt.commandId == null ? "" : attempt.commandId.toString())
                        .setReason(reason))));
    }

    /**
     * The attempt could not be dispatched (lock offline or unreachable, door not resolvable): it fails,
     * but only while it is still authorized and undispatched, under its row lock. An attempt another
     * replica dispatched meanwhile is returned as that replica records it.
     */
    @WithTransaction
    public Uni<ActionAttemptEntity> recordNotDispatched(UUID attemptId, UUID lockId, String reason) {
        return repository.findById(attemptId, LockModeType.PESSIMISTIC_WRITE).flatMap(attempt -> attempt.status != AttemptStatus.AUTHORIZED
                ? Uni.createFrom().item(attempt)
                : recordFailure(attemptId, lockId, reason));
    }

    /** The attempt as stored now. */
    @WithSession
    public Uni<ActionAttemptEntity> find(UUID attemptId) {
        return repository.findById(attemptId);
    }

    /** The command was not acknowledged before it expired. It is dead: never sent again. */
    @WithTransaction
    public Uni<ActionAttemptEntity> recordExpiry(UUID attemptId, String reason) {
        return transition(attemptId, AttemptStatus.EXPIRED, attempt -> attempt.setReasons(List.of(reason)))
                .call(attempt -> events.emit(attempt, "unlock_expired", envelope -> envelope.setUnlockExpired(
                        UnlockExpired.newBuilder()
                                .setActionAttemptId(attempt.id.toString())
                                .setDoorId(attempt.doorId.toString())
                                .setLockId(attempt.lockId.toString())
                                .setCommandId(attempt.commandId.toString())
                                .setExpiresAt(UnlockEvents.timestamp(attempt.expiresAt.toInstant())))));
    }

    /**
     * Nobody approved in time: the attempt ends EXPIRED without a command ever having been sealed or
     * sent. False when it is no longer pending (approved or ended meanwhile) or not yet due.
     */
    @WithTransaction
    public Uni<Boolean> expireUnapproved(UUID attemptId, OffsetDateTime at) {
        return repository.findById(attemptId, LockModeType.PESSIMISTIC_WRITE).flatMap(attempt -> {
            if (attempt == null || attempt.status != AttemptStatus.PENDING_APPROVAL || attempt.approvalExpiresAt.isAfter(at)) {
                // not waiting any more, or not due yet
                return Uni.createFrom().item(false);
            }
            attempt.status = AttemptStatus.EXPIRED;
            attempt.updatedAt = at;
            attempt.setReasons(List.of(APPROVAL_TIMEOUT));
            return events.emit(attempt, "unlock_expired", envelope -> envelope.setUnlockExpired(UnlockExpired.newBuilder()
                    .setActionAttemptId(attempt.id.toString())
                    .setDoorId(attempt.doorId.toString())
                    .setExpiresAt(UnlockEvents.timestamp(attempt.approvalExpiresAt.toInstant())))).replaceWith(true);
        });
    }

    public static final String APPROVAL_TIMEOUT = "APPROVAL_TIMEOUT";

    /** Visible to its requester, and to operators of the same organization; to nobody else (404, no oracle). */
    public Uni<ActionAttemptEntity> visibleTo(Requester requester, UUID attemptId) {
        return repository.findInOrganization(requester.organizationId(), attemptId)
                .map(attempt -> {
                    if (attempt == null || !(requester.isOperator() || attempt.requesterId.equals(requester.subject()))) {
                        throw ProblemException.notFound("The action attempt");
                    }
                    return attempt;
                });
    }

    private Uni<ActionAttemptEntity> transition(UUID attemptId, AttemptStatus to, java.util.function.Consumer<ActionAttemptEntity> change) {
        return repository.findById(attemptId).map(attempt -> {
            if (attempt.status.isFinal()) {
                throw new IllegalStateException("attempt " + attemptId + " is already " + attempt.status);
            }
            attempt.status = to;
            attempt.updatedAt = now();
            change.accept(attempt);
            return attempt;
        });
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                return true;
            }
        }
        return false;
    }
}
