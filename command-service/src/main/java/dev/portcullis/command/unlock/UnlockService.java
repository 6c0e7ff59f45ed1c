package dev.portcullis.command.unlock;

import dev.portcullis.command.CommandConfig;
import dev.portcullis.command.dispatch.Dispatcher;
import dev.portcullis.command.peers.PolicyClient;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.policy.v1.AuthorizationContext;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.command.events.UnlockEvents;
import dev.portcullis.kit.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * One unlock request, start to end: record the attempt (idempotently), ask policy, and on permit hand
 * it to the dispatcher, which seals, sends and awaits the lock's acknowledgement. Per-user/door/partner
 * rate limits (429) come first, then the bound on unlocks in progress on this replica (503). Each state change and
 * its event are one transaction; no transaction stays open while the lock is being waited for.
 */
@ApplicationScoped
public class UnlockService {

    @Inject
    ActionAttempts attempts;

    @Inject
    PolicyClient policy;

    @Inject
    Dispatcher dispatcher;

    @Inject
    CommandConfig config;

    @Inject
    UnlockLimits limits;

    @Inject
    UnlockAdmission admission;

    /** The outcome of a request: the attempt, and whether this call created it or found it (a retry). */
    public record Outcome(ActionAttemptEntity attempt, boolean created) {
    }

    public Uni<Outcome> unlock(Requester requester, UUID doorId, String idempotencyKey, AccessMethod method) {
        return unlock(requester, doorId, idempotencyKey, method, null);
    }

    /** As above; {@code onBehalfOf} (a partner's own reference for whom it acts, or null) is recorded with the attempt. */
    public Uni<Outcome> unlock(Requester requester, UUID doorId, String idempotencyKey, AccessMethod method, String onBehalfOf) {
        try {
            limits.admit(requester, doorId);
        } catch (ProblemException limited) {
            return Uni.createFrom().failure(limited);
        }
        Executor here = currentContext();
        return admission.admit(() -> attempts.open(requester, doorId, idempotencyKey, LockAction.LOCK_ACTION_UNLOCK, method, onBehalfOf)
                .flatMap(opened -> {
                    if (!opened.created()) {
                        return Uni.createFrom().item(new Outcome(opened.attempt(), false));
                    }
                    return decideAndDispatch(opened.attempt(), requester, here).map(done -> new Outcome(done, true));
                }));
    }

    public Uni<ActionAttemptEntity> find(Requester requester, UUID attemptId) {
        return attempts.visibleTo(requester, attemptId);
    }

    private Uni<ActionAttemptEntity> decideAndDispatch(ActionAttemptEntity attempt, Requester requester, Executor here) {
        AuthorizeRequest request = AuthorizeRequest.newBuilder()
                .setOrganizationId(attempt.organizationId.toString())
                .setSubjectId(requester.policySubject())
                .setDoorId(attempt.doorId.toString())
                .setAction(LockAction.LOCK_ACTION_UNLOCK)
                .setContext(AuthorizationContext.newBuilder()
                        .setRequestTime(UnlockEvents.timestamp(Instant.now()))
                        .setAuthentication(requester.authentication())
                        .setMethod(AccessMethod.valueOf(attempt.method)))
                .build();
        return policy.authorize(request)
                .emitOn(here)
                .flatMap(decision -> attempts.recordDecision(attempt.id, decision, reasonCodes(decision)))
                .flatMap(decided -> decided.status == AttemptStatus.AUTHORIZED
                        ? dispatcher.dispatch(decided, here)
                        : Uni.createFrom().item(decided));
    }

    static List<String> reasonCodes(AuthorizeResponse decision) {
        if (decision.getReasonsCount() == 0 && decision.getDecision() != Decision.DECISION_PERMIT) {
            return List.of(decision.getExplanation().equals(PolicyClient.POLICY_UNAVAILABLE)
                    ? PolicyClient.POLICY_UNAVAILABLE : Reason.REASON_UNSPECIFIED.name());
        }
        return decision.getReasonsList().stream().map(reason -> reason.name().replaceFirst("^REASON_", "")).toList();
    }

    /** Continuations after a gRPC call or a lock acknowledgement must come back to the request's Vert.x context. */
    public static Executor currentContext() {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("must be called on a Vert.x context");
        }
        return task -> context.runOnContext(ignored -> task.run());
    }
}
