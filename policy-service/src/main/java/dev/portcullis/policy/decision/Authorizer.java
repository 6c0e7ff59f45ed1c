package dev.portcullis.policy.decision;

import dev.portcullis.policy.door.DoorRepository;
import dev.portcullis.policy.grant.GrantRepository;
import dev.portcullis.policy.version.PolicyVersionRepository;
import dev.portcullis.proto.common.v1.Authentication;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.Obligation;
import dev.portcullis.proto.policy.v1.Reason;
import dev.portcullis.proto.policy.v1.StepUp;
import io.grpc.Status;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.UUID;

/** Loads what a decision needs and asks the decider. Unknown or malformed always means DENY. */
@ApplicationScoped
public class Authorizer {

    @Inject
    DoorRepository doors;

    @Inject
    GrantRepository grants;

    @Inject
    PolicyVersionRepository versions;

    @Inject
    Clock clock;

    @WithSession
    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        UUID organizationId = uuid(request.getOrganizationId(), "organization_id");
        UUID doorId = uuid(request.getDoorId(), "door_id");
        if (request.getSubjectId().isBlank()) {
            throw Status.INVALID_ARGUMENT.withDescription("subject_id is required").asRuntimeException();
        }
        if (request.getAction() == LockAction.LOCK_ACTION_UNSPECIFIED || request.getAction() == LockAction.UNRECOGNIZED) {
            throw Status.INVALID_ARGUMENT.withDescription("action is required").asRuntimeException();
        }
        // Decided at policy's own clock: a caller cannot ask "as if it were Thursday 10:30".
        Instant at = clock.instant();
        String decisionId = UUID.randomUUID().toString();
        return versions.current(organizationId).flatMap(version -> doors.findInOrganization(organizationId, doorId)
                .flatMap(door -> {
                    if (door == null) {
                        return Uni.createFrom().item(deny(decisionId, version, Reason.REASON_UNKNOWN_DOOR,
                                "the door is not known in this organization"));
                    }
                    ZoneId zone = zone(door.timeZone);
                    return grants.grantsFor(organizationId, request.getSubjectId(), doorId)
                            .map(found -> toResponse(decisionId, version,
                                    Decider.decide(zone, found, at, door.assurance(), signIn(request))));
                }));
    }

    private static AuthorizeResponse toResponse(String decisionId, long version, Verdict verdict) {
        AuthorizeResponse.Builder response = AuthorizeResponse.newBuilder()
                .setDecision(verdict.permit() ? Decision.DECISION_PERMIT : Decision.DECISION_DENY)
                .addReasons(verdict.reason())
                .setDecisionId(decisionId)
                .setPolicyVersion(String.valueOf(version))
                .setExplanation(verdict.explanation());
        if (verdict.grantId() != null) {
            response.setGrantId(verdict.grantId().toString());
        }
        if (verdict.stepUp() != null) {
            StepUp.Builder stepUp = StepUp.newBuilder();
            if (verdict.stepUp().requiredAcr() != null) {
                stepUp.addAcrValues(verdict.stepUp().requiredAcr());
            }
            if (verdict.stepUp().maxAuthAge() != null) {
                stepUp.setMaxAgeSeconds(verdict.stepUp().maxAuthAge().toSeconds());
            }
            response.addObligations(Obligation.newBuilder().setStepUp(stepUp));
        }
        return response.build();
    }

    private static AuthorizeResponse deny(String decisionId, long version, Reason reason, String explanation) {
        return toResponse(decisionId, version, Verdict.deny(reason, explanation));
    }

    /** The sign-in behind the request as the caller relays it from the verified access token. */
    private static Decider.SignIn signIn(AuthorizeRequest request) {
        Authentication authentication = request.getContext().getAuthentication();
        String acr = authentication.getAcr().isEmpty() ? null : authentication.getAcr();
        Instant authTime = authentication.hasAuthTime()
                ? Instant.ofEpochSecond(authentication.getAuthTime().getSeconds(), authentication.getAuthTime().getNanos())
                : null;
        return new Decider.SignIn(acr, authTime);
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            throw Status.FAILED_PRECONDITION.withDescription("the door's time zone is invalid").asRuntimeException();
        }
    }

    private static UUID uuid(String value, String field) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw Status.INVALID_ARGUMENT.withDescription(field + " must be a UUID").asRuntimeException();
        }
    }
}
