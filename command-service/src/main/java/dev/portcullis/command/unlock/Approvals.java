package dev.portcullis.command.unlock;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.portcullis.command.CommandConfig;
import dev.portcullis.command.dispatch.Dispatcher;
import dev.portcullis.command.events.UnlockEvents;
import dev.portcullis.command.peers.PolicyClient;
import dev.portcullis.kit.auth.AssuranceLevel;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.common.v1.Authentication;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.policy.v1.AuthorizationContext;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.CheckRoleRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * The two-person rule. A permit that needs a second approver waits in PENDING_APPROVAL; another person
 * of the organization who holds the eligible role for the door (asked of policy, live) approves with a
 * fresh second factor; then policy decides the unlock afresh and, on permit, it is dispatched. One
 * approval per attempt (recorded under the attempt's row lock), never by the requester, never after the
 * deadline: however many approvers click, at most one command is sent.
 */
@ApplicationScoped
public class Approvals {

    /** The assurance an approval needs (RFC 9470 step-up when the approver's sign-in has less). */
    static final String APPROVER_ACR = AssuranceLevel.AAL2;

    @Inject
    ActionAttemptRepository repository;

    @Inject
    ActionAttempts attempts;

    @Inject
    PolicyClient policy;

    @Inject
    Dispatcher dispatcher;

    @Inject
    CommandConfig config;

    /** Unlocks of the caller's organization waiting for a second person, except the caller's own. */
    public Uni<List<ActionAttemptEntity>> awaiting(Requester caller) {
        requirePerson(caller);
        return repository.awaitingApproval(caller.organizationId(), now())
                .map(list -> list.stream().filter(attempt -> !attempt.requesterId.equals(caller.subject())).toList());
    }

    public Uni<ActionAttemptEntity> approve(Requester approver, UUID attemptId) {
        requirePerson(approver);
        requireFreshSecondFactor(approver);
        Executor here = UnlockService.currentContext();
        return repository.findInOrganization(approver.organizationId(), attemptId)
                .flatMap(attempt -> {
                    if (attempt == null) {
                        throw ProblemException.notFound("The action attempt");
                    }
                    requireApprovable(attempt, approver, now());
                    return policy.holdsRole(CheckRoleRequest.newBuilder()
                                    .setOrganizationId(attempt.organizationId.toString())
                                    .setSubjectId(approver.subject())
                                    .setDoorId(attempt.doorId.toString())
                                    .setRole(attempt.approvalRole)
                                    .build())
                            .onFailure().transform(failure -> new ProblemException(503, "policy-unavailable", "Policy unavailable",
                                    "Whether you may approve could not be checked; try again"))
                            .emitOn(here)
                            .flatMap(holds -> {
                                if (!holds) {
                                    throw ProblemException.forbidden("Approving this unlock needs the role " + attempt.approvalRole
                                            + " for its door");
                                }
                                return attempts.recordApproval(attempt.id, approver, now());
                            });
                })
                .flatMap(approved -> policy.authorize(decideAgain(approved)).emitOn(here)
                        .flatMap(decision -> attempts.recordDecisionAfterApproval(approved.id, decision, UnlockService.reasonCodes(decision))))
                .flatMap(decided -> decided.status == AttemptStatus.AUTHORIZED
                        ? dispatcher.dispatch(decided, here)
                        : Uni.createFrom().item(decided));
    }

    /** What must hold for {@code approver} to approve {@code attempt} now; checked again under the row lock. */
    static void requireApprovable(ActionAttemptEntity attempt, Requester approver, OffsetDateTime at) {
        if (attempt.requesterId.equals(approver.subject())) {
            throw ProblemException.forbidden("The requester of an unlock cannot approve it: a second person must");
        }
        if (attempt.status != AttemptStatus.PENDING_APPROVAL) {
            throw ProblemException.conflict("not-awaiting-approval", "This unlock does not wait for an approval");
        }
        if (attempt.approverId != null) {
            throw ProblemException.conflict("already-approved", "This unlock was already approved");
        }
        if (!attempt.approvalExpiresAt.isAfter(at)) {
            throw ProblemException.conflict("approval-expired", "The time to approve this unlock has run out");
        }
    }

    private static void requirePerson(Requester caller) {
        if (caller.type() != ActorType.ACTOR_TYPE_USER) {
            throw ProblemException.forbidden("Only people approve unlocks");
        }
    }

    /** A strong and recent sign-in, else the RFC 9470 challenge that tells the client how to get one. */
    private void requireFreshSecondFactor(Requester approver) {
        long maxAge = config.approverMaxAuthAge().toSeconds();
        long now = Instant.now().getEpochSecond();
        boolean strong = AssuranceLevel.satisfies(approver.acr(), APPROVER_ACR);
        boolean recent = approver.authTime() > 0 && approver.authTime() >= now - maxAge && approver.authTime() <= now + 60;
        if (!strong || !recent) {
            throw new ProblemException(401, "step-up-required", "Step-up required",
                    "Approving an unlock needs a second factor within the last " + maxAge + " s: sign in again, then approve")
                    .header("WWW-Authenticate", StepUpChallenge.of("Approving an unlock needs a fresh second factor", APPROVER_ACR, maxAge));
        }
    }

    /** The original request, decided again now with the requester's own sign-in. */
    private static AuthorizeRequest decideAgain(ActionAttemptEntity attempt) {
        Authentication authentication;
        try {
            authentication = attempt.requesterAuthentication == null ? Authentication.getDefaultInstance()
                    : Authentication.parseFrom(attempt.requesterAuthentication);
        } catch (InvalidProtocolBufferException e) {
            authentication = Authentication.getDefaultInstance();
        }
        String subject = ActorType.ACTOR_TYPE_PARTNER.name().equals(attempt.requesterType)
                ? Requester.PARTNER_SUBJECT_PREFIX + attempt.requesterId : attempt.requesterId;
        return AuthorizeRequest.newBuilder()
                .setOrganizationId(attempt.organizationId.toString())
                .setSubjectId(subject)
                .setDoorId(attempt.doorId.toString())
                .setAction(LockAction.LOCK_ACTION_UNLOCK)
                .setContext(AuthorizationContext.newBuilder()
                        .setRequestTime(UnlockEvents.timestamp(Instant.now()))
                        .setAuthentication(authentication)
                        .setMethod(AccessMethod.valueOf(attempt.method)))
                .build();
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
