package dev.portcullis.policy.decision;

import dev.portcullis.policy.device.DeviceStates;
import dev.portcullis.policy.engine.Decision;
import dev.portcullis.policy.engine.DecisionRequest;
import dev.portcullis.policy.engine.PolicyEngine;
import dev.portcullis.policy.store.PolicyCache;
import dev.portcullis.policy.store.UsageCounters;
import dev.portcullis.proto.common.v1.Authentication;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.LockFactor;
import dev.portcullis.proto.policy.v1.Notify;
import dev.portcullis.proto.policy.v1.Obligation;
import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.proto.policy.v1.SecondApprover;
import dev.portcullis.proto.policy.v1.StepUp;
import io.grpc.Status;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Decides from the cached index of the organization's policy. A malformed request is INVALID_ARGUMENT;
 * anything that goes wrong loading or deciding is DENY POLICY_UNAVAILABLE (fail closed).
 */
@ApplicationScoped
public class Authorizer {

    private static final Logger LOG = Logger.getLogger(Authorizer.class);

    @Inject
    PolicyCache cache;

    @Inject
    DeviceStates devices;

    @Inject
    UsageCounters usage;

    @Inject
    Clock clock;

    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        UUID organizationId = uuid(request.getOrganizationId(), "organization_id");
        UUID doorId = uuid(request.getDoorId(), "door_id");
        String subject = request.getSubjectId();
        if (subject.isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("subject_id is required").asRuntimeException();
        }
        if (request.getAction() == LockAction.LOCK_ACTION_UNSPECIFIED || request.getAction() == LockAction.UNRECOGNIZED) {
            throw Status.INVALID_ARGUMENT.withDescription("action is required").asRuntimeException();
        }
        // Decided at policy's own clock: a caller cannot ask "as if it were Thursday 10:30".
        Instant at = clock.instant();
        String decisionId = UUID.randomUUID().toString();
        DecisionRequest question = new DecisionRequest(subject, doorId, at, signIn(request));
        return cache.index(organizationId)
                .map(index -> PolicyEngine.decide(index, question, devices.of(organizationId, doorId), usage.view(organizationId)))
                .flatMap(decision -> !decision.permit() || !decision.useLimited() ? Uni.createFrom().item(decision)
                        : usage.consume(decision.grantId()).map(consumed -> consumed ? decision : useLimitReached(decision)))
                .invoke(decision -> {
                    if (decision.permit()) {
                        usage.recordPermit(organizationId, subject, at);
                    }
                })
                .map(decision -> toResponse(decisionId, decision))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("decision %s failed closed: %s", decisionId, failure.toString());
                    return AuthorizeResponse.newBuilder().setDecision(dev.portcullis.proto.policy.v1.Decision.DECISION_DENY)
                            .addReasons(Reason.REASON_POLICY_UNAVAILABLE).setDecisionId(decisionId)
                            .setExplanation("policy could not be evaluated").build();
                });
    }

    private static Decision useLimitReached(Decision permit) {
        List<Decision.RuleResult> trace = new java.util.ArrayList<>(permit.trace());
        trace.add(new Decision.RuleResult("use limit of grant " + permit.grantId(), false, "every use was consumed meanwhile"));
        return new Decision(false, List.of(Reason.REASON_USE_LIMIT_REACHED), List.of(), null, false, permit.policyVersion(), trace);
    }

    static AuthorizeResponse toResponse(String decisionId, Decision decision) {
        AuthorizeResponse.Builder response = AuthorizeResponse.newBuilder()
                .setDecision(decision.permit() ? dev.portcullis.proto.policy.v1.Decision.DECISION_PERMIT
                        : dev.portcullis.proto.policy.v1.Decision.DECISION_DENY)
                .addAllReasons(decision.reasons())
                .setDecisionId(decisionId)
                .setPolicyVersion(String.valueOf(decision.policyVersion()))
                .setExplanation(decision.explanation());
        if (decision.permit() && decision.grantId() != null) {
            response.setGrantId(decision.grantId().toString());
        }
        for (Decision.Obligation obligation : decision.obligations()) {
            response.addObligations(obligation(obligation));
        }
        return response.build();
    }

    private static Obligation obligation(Decision.Obligation obligation) {
        if (obligation instanceof Decision.StepUp stepUp) {
            StepUp.Builder builder = StepUp.newBuilder();
            if (stepUp.assurance().requiredAcr() != null) {
                builder.addAcrValues(stepUp.assurance().requiredAcr());
            }
            if (stepUp.assurance().maxAuthAge() != null) {
                builder.setMaxAgeSeconds(stepUp.assurance().maxAuthAge().toSeconds());
            }
            return Obligation.newBuilder().setStepUp(builder).build();
        }
        if (obligation instanceof Decision.SecondApprover approver) {
            return Obligation.newBuilder().setSecondApprover(SecondApprover.newBuilder().setEligibleRole(approver.role().code())).build();
        }
        if (obligation instanceof Decision.LockFactor factor) {
            return Obligation.newBuilder().setLockFactor(LockFactor.newBuilder().setFactor(factor.factor())).build();
        }
        return Obligation.newBuilder().setNotify(Notify.newBuilder().setTopic(((Decision.Notify) obligation).topic())).build();
    }

    /** The sign-in behind the request as the caller relays it from the verified access token. */
    private static DecisionRequest.SignIn signIn(AuthorizeRequest request) {
        Authentication authentication = request.getContext().getAuthentication();
        String acr = authentication.getAcr().isEmpty() ? null : authentication.getAcr();
        Instant authTime = authentication.hasAuthTime()
                ? Instant.ofEpochSecond(authentication.getAuthTime().getSeconds(), authentication.getAuthTime().getNanos())
                : null;
        return new DecisionRequest.SignIn(acr, authTime);
    }

    private static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(field + " must be a UUID").asRuntimeException();
        }
    }
}
