package dev.portcullis.command.peers;

import dev.portcullis.command.CommandConfig;
import dev.portcullis.proto.policy.v1.AuthorizeRequest;
import dev.portcullis.proto.policy.v1.AuthorizeResponse;
import dev.portcullis.proto.policy.v1.CheckRoleRequest;
import dev.portcullis.proto.policy.v1.CheckRoleResponse;
import dev.portcullis.proto.policy.v1.Decision;
import dev.portcullis.proto.policy.v1.PolicyService;
import dev.portcullis.proto.policy.v1.Reason;
import io.quarkus.grpc.GrpcClient;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Asks policy-service. Fails closed: any error, timeout, open circuit breaker or unknown answer is a DENY. */
@ApplicationScoped
public class PolicyClient {

    private static final Logger LOG = Logger.getLogger(PolicyClient.class);

    /** Reason reported when no decision could be had. */
    public static final String POLICY_UNAVAILABLE = "POLICY_UNAVAILABLE";

    @GrpcClient("policy")
    PolicyService policy;

    @Inject
    CommandConfig config;

    @Inject
    Breakers breakers;

    public Uni<AuthorizeResponse> authorize(AuthorizeRequest request) {
        return breakers.policy(() -> policy.authorize(request), config.policyDeadline())
                .map(response -> response.getDecision() == Decision.DECISION_PERMIT ? response : denyIfUnknown(response))
                .onFailure().recoverWithItem(failure -> {
                    LOG.warnf("policy decision unavailable, denying: %s", failure.toString());
                    return AuthorizeResponse.newBuilder()
                            .setDecision(Decision.DECISION_DENY)
                            .setExplanation(POLICY_UNAVAILABLE)
                            .build();
                });
    }

    /**
     * Whether the subject holds the role for the door. No answer in time is an error (the caller refuses
     * the approval): an approval is never granted on a guess.
     */
    public Uni<Boolean> holdsRole(CheckRoleRequest request) {
        return breakers.policy(() -> policy.checkRole(request), config.policyDeadline())
                .map(CheckRoleResponse::getHolds);
    }

    private static AuthorizeResponse denyIfUnknown(AuthorizeResponse response) {
        if (response.getDecision() == Decision.DECISION_DENY) {
            return response;
        }
        return response.toBuilder().setDecision(Decision.DECISION_DENY).clearReasons().addReasons(Reason.REASON_UNSPECIFIED).build();
    }
}
