package dev.portcullis.command.routing;

import dev.portcullis.command.dispatch.Dispatcher;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.proto.command.v1.CommandRelay;
import dev.portcullis.proto.command.v1.RelayDispatchRequest;
import dev.portcullis.proto.command.v1.RelayDispatchResponse;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.UUID;

/**
 * The receiving side of a relay: dispatches an attempt another replica authorized to a lock whose stream
 * this replica holds. It acts only on an attempt that is still authorized and undispatched.
 */
@GrpcService
public class CommandRelayService implements CommandRelay {

    @Inject
    Dispatcher dispatcher;

    @Override
    public Uni<RelayDispatchResponse> dispatch(RelayDispatchRequest request) {
        UUID attemptId;
        try {
            attemptId = UUID.fromString(request.getActionAttemptId());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription("action_attempt_id must be a UUID").asRuntimeException());
        }
        CredentialSpec credential = null;
        if (!request.getCredential().isEmpty()) {
            byte[] bytes = request.getCredential().toByteArray();
            try {
                credential = parseRelayed(bytes);
            } catch (IllegalArgumentException e) {
                return Uni.createFrom().failure(Status.INVALID_ARGUMENT.withDescription("credential is not valid").asRuntimeException());
            }
        }
        return dispatcher.dispatchRelayed(attemptId, credential)
                .map(attempt -> RelayDispatchResponse.newBuilder().setStatus(attempt.status.name()).build());
    }

    /** A whole credential (put), or one that names only its id (removal). */
    private static CredentialSpec parseRelayed(byte[] bytes) {
        try {
            return CredentialSpec.parse(bytes);
        } catch (IllegalArgumentException idOnly) {
            return CredentialSpec.removal(CredentialSpec.idOf(bytes));
        }
    }
}
