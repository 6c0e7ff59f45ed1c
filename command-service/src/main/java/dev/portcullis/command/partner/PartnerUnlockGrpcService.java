package dev.portcullis.command.partner;

import dev.portcullis.command.unlock.AttemptChangeFeed;
import dev.portcullis.command.unlock.Requester;
import dev.portcullis.command.unlock.UnlockResource;
import dev.portcullis.command.unlock.UnlockService;
import dev.portcullis.command.unlock.WatchConfig;
import dev.portcullis.kit.problem.ProblemException;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.unlock.v1.ActionAttempt;
import dev.portcullis.proto.unlock.v1.GetActionAttemptRequest;
import dev.portcullis.proto.unlock.v1.UnlockRequest;
import dev.portcullis.proto.unlock.v1.WatchActionAttemptsRequest;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.quarkus.grpc.RegisterInterceptor;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The partner unlock API over gRPC, on the HTTP port. Callers present a partner's client-credentials access
 * token as {@code authorization: Bearer <token>} metadata; quarkus-oidc verifies it exactly as for REST (the
 * Vert.x gRPC server runs behind the HTTP authentication). A partner acts in one organization that granted it
 * ({@code organization_id}, optional when only one did) and needs the {@code unlock} scope.
 * <p>
 * Policy denials are business outcomes: the attempt comes back with status DENIED and its reasons.
 * PERMISSION_DENIED is only for the caller's own authorization (organization not granted, scope missing, not a
 * partner). DPoP-bound tokens are refused (UNAUTHENTICATED): a gRPC call carries no DPoP proof to check.
 */
@GrpcService
@RegisterInterceptor(CallTransport.class)
public class PartnerUnlockGrpcService implements dev.portcullis.proto.unlock.v1.UnlockService {

    static final int ON_BEHALF_OF_MAX = 200;

    @Inject
    CurrentIdentityAssociation identity;

    @Inject
    UnlockService unlocks;

    @Inject
    AttemptChangeFeed feed;

    @Inject
    WatchConfig config;

    @Override
    public Uni<ActionAttempt> unlock(UnlockRequest request) {
        return partner(request.getOrganizationId())
                .flatMap(partner -> {
                    UUID door = uuid(request.getDoorId(), "door_id");
                    if (!UnlockResource.IDEMPOTENCY_KEY.matcher(request.getIdempotencyKey()).matches()) {
                        throw ProblemException.badRequest("idempotency-key-required",
                                "Send an idempotency_key: 8 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-' (a UUID is ideal)");
                    }
                    return unlocks.unlock(partner, door, request.getIdempotencyKey(), AccessMethod.ACCESS_METHOD_PARTNER,
                            onBehalfOf(request.getOnBehalfOf()));
                })
                .map(outcome -> ActionAttemptMessages.of(outcome.attempt()))
                .onFailure().transform(GrpcProblems::toStatus);
    }

    @Override
    public Uni<ActionAttempt> getActionAttempt(GetActionAttemptRequest request) {
        return partner(request.getOrganizationId())
                .flatMap(partner -> unlocks.find(partner, uuid(request.getActionAttemptId(), "action_attempt_id")))
                .map(ActionAttemptMessages::of)
                .onFailure().transform(GrpcProblems::toStatus);
    }

    @Override
    public Multi<ActionAttempt> watchActionAttempts(WatchActionAttemptsRequest request) {
        CallTransport.Transport transport = CallTransport.current();
        return partner(request.getOrganizationId())
                .onItem().transformToMulti(partner -> feed.watch(partner,
                        request.getActionAttemptId().isEmpty() ? null : uuid(request.getActionAttemptId(), "action_attempt_id"),
                        config.buffer(), transport::isReady))
                // The client gone (cancelled, stream reset, connection closed): the watcher goes too.
                .onSubscription().invoke(subscription -> transport.onClose(subscription::cancel))
                .map(ActionAttemptMessages::of)
                .onFailure().transform(GrpcProblems::toStatus);
    }

    /** The calling partner, acting in the organization it names (or its only one). */
    private Uni<Requester> partner(String organization) {
        return identity.getDeferredIdentity().map(caller -> {
            if (caller.isAnonymous() || !(caller.getPrincipal() instanceof JsonWebToken token)) {
                throw Status.UNAUTHENTICATED.withDescription("Send a partner access token as 'authorization: Bearer <token>' metadata")
                        .asRuntimeException();
            }
            if (token.getClaim("cnf") != null) {
                // RFC 9449: a bound token is only good with a proof of its key, which a gRPC call does not carry.
                throw Status.UNAUTHENTICATED.withDescription(
                        "A DPoP-bound access token needs a DPoP proof, which gRPC calls cannot carry: use an unbound token here")
                        .asRuntimeException();
            }
            Requester requester = Requester.fromToken(token, organization.isEmpty() ? null : organization);
            if (requester.type() != ActorType.ACTOR_TYPE_PARTNER) {
                throw ProblemException.forbidden("The gRPC unlock API is for partners' client-credentials tokens; people use the REST API");
            }
            return requester;
        });
    }

    static String onBehalfOf(String value) {
        if (value.isEmpty()) {
            return null;
        }
        if (value.codePointCount(0, value.length()) > ON_BEHALF_OF_MAX || value.isBlank()
                || value.codePoints().anyMatch(c -> Character.isISOControl(c) || !Character.isDefined(c)
                        || Character.getType(c) == Character.FORMAT || Character.getType(c) == Character.SURROGATE
                        || Character.getType(c) == Character.PRIVATE_USE)) {
            throw ProblemException.badRequest("invalid-on-behalf-of",
                    "on_behalf_of must be at most " + ON_BEHALF_OF_MAX + " printable characters");
        }
        return value;
    }

    private static UUID uuid(String value, String name) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ProblemException.badRequest("invalid-parameter", name + " must be a UUID");
        }
    }
}
