package dev.portcullis.command.credentials;

import com.google.protobuf.ByteString;
import dev.portcullis.command.dispatch.Dispatcher;
import dev.portcullis.command.partner.GrpcProblems;
import dev.portcullis.command.unlock.ActionAttemptEntity;
import dev.portcullis.command.unlock.ActionAttempts;
import dev.portcullis.command.unlock.AttemptStatus;
import dev.portcullis.command.unlock.Requester;
import dev.portcullis.command.unlock.UnlockService;
import dev.portcullis.lock.protocol.CredentialSpec;
import dev.portcullis.proto.command.v1.ApplyCredentialRequest;
import dev.portcullis.proto.command.v1.ApplyCredentialResponse;
import dev.portcullis.proto.command.v1.CredentialOperation;
import dev.portcullis.proto.command.v1.CredentialSyncOutcome;
import dev.portcullis.proto.command.v1.LockCredentials;
import dev.portcullis.proto.common.v1.AccessMethod;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.common.v1.LockAction;
import io.grpc.Status;
import io.quarkus.grpc.GrpcService;
import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Carries device-registry's credential changes to locks (internal API; docs/unlocks.md "Credential
 * changes"). Each change is an action attempt of the registry (idempotent per sync id), authorized by
 * the registry, sealed into one command for the door's lock and answered with what the lock signed.
 */
@GrpcService
public class LockCredentialsGrpcService implements LockCredentials {

    /** Who these attempts are attributed to. */
    static final String REGISTRY = "device-registry";
    private static final Pattern SYNC_ID = Pattern.compile("[A-Za-z0-9._:\\-]{8,128}");

    @Inject
    ActionAttempts attempts;

    @Inject
    Dispatcher dispatcher;

    @Override
    public Uni<ApplyCredentialResponse> apply(ApplyCredentialRequest request) {
        UUID organization;
        UUID door;
        CredentialSpec credential;
        try {
            organization = UUID.fromString(request.getOrganizationId());
            door = UUID.fromString(request.getDoorId());
            if (!SYNC_ID.matcher(request.getSyncId()).matches()) {
                throw new IllegalArgumentException("sync_id must be 8 to 128 characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'");
            }
            byte[] bytes = request.getCredential().toByteArray();
            credential = switch (request.getOperation()) {
                case CREDENTIAL_OPERATION_PUT -> CredentialSpec.parse(bytes);
                case CREDENTIAL_OPERATION_REMOVE -> CredentialSpec.removal(CredentialSpec.idOf(bytes));
                default -> throw new IllegalArgumentException("operation must be PUT or REMOVE");
            };
        } catch (IllegalArgumentException invalid) {
            // the message never echoes the credential's bytes
            return Uni.createFrom().failure(Status.INVALID_ARGUMENT
                    .withDescription(invalid.getMessage() == null ? "invalid request" : "invalid request: " + invalid.getMessage())
                    .asRuntimeException());
        }
        Requester registry = new Requester(ActorType.ACTOR_TYPE_SERVICE, REGISTRY, organization, REGISTRY, Set.of(), List.of(), null, 0L);
        LockAction action = request.getOperation() == CredentialOperation.CREDENTIAL_OPERATION_PUT
                ? LockAction.LOCK_ACTION_CREDENTIAL_PUT : LockAction.LOCK_ACTION_CREDENTIAL_REMOVE;
        Executor here = UnlockService.currentContext();
        return attempts.open(registry, door, request.getSyncId(), action, AccessMethod.ACCESS_METHOD_UNSPECIFIED)
                .flatMap(opened -> !opened.created()
                        ? Uni.createFrom().item(opened.attempt())
                        : attempts.recordRegistryAuthorization(opened.attempt().id, Dispatcher.digestOf(credential))
                                .flatMap(authorized -> dispatcher.dispatch(authorized, here, credential)))
                .map(LockCredentialsGrpcService::answer)
                .onFailure().transform(GrpcProblems::toStatus);
    }

    static ApplyCredentialResponse answer(ActionAttemptEntity attempt) {
        ApplyCredentialResponse.Builder response = ApplyCredentialResponse.newBuilder().setActionAttemptId(attempt.id.toString());
        List<String> reasons = attempt.reasonList();
        String reason = reasons.isEmpty() ? "" : String.join(",", reasons);
        if (attempt.status == AttemptStatus.SUCCEEDED) {
            return response.setOutcome(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_APPLIED)
                    .setCredentialSetDigest(attempt.credentialSetDigest == null ? ByteString.EMPTY
                            : ByteString.copyFrom(attempt.credentialSetDigest))
                    .build();
        }
        if (attempt.status == AttemptStatus.FAILED && attempt.commandId == null) {
            // never sealed: the lock was offline or unreachable, or the door has no lock
            return response.setOutcome(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_NOT_DELIVERED).setReason(reason).build();
        }
        if (attempt.status == AttemptStatus.FAILED || attempt.status == AttemptStatus.EXPIRED) {
            return response.setOutcome(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_FAILED).setReason(reason).build();
        }
        return response.setOutcome(CredentialSyncOutcome.CREDENTIAL_SYNC_OUTCOME_IN_PROGRESS).build();
    }
}
