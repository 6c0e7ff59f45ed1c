package dev.portcullis.command.partner;

import dev.portcullis.command.events.UnlockEvents;
import dev.portcullis.command.unlock.ActionAttemptEntity;
import dev.portcullis.proto.common.v1.Actor;
import dev.portcullis.proto.common.v1.ActorType;
import dev.portcullis.proto.common.v1.LockAction;
import dev.portcullis.proto.unlock.v1.ActionAttempt;

/** The action attempt as the partner gRPC API shows it (the same facts as the REST view). */
final class ActionAttemptMessages {

    private ActionAttemptMessages() {
    }

    static ActionAttempt of(ActionAttemptEntity attempt) {
        ActionAttempt.Builder message = ActionAttempt.newBuilder()
                .setId(attempt.id.toString())
                .setOrganizationId(attempt.organizationId.toString())
                .setDoorId(attempt.doorId.toString())
                .setAction(LockAction.valueOf(attempt.action))
                .setStatus(attempt.status.toProto())
                .addAllReasons(attempt.reasonList())
                .setCreatedAt(UnlockEvents.timestamp(attempt.createdAt.toInstant()))
                .setUpdatedAt(UnlockEvents.timestamp(attempt.updatedAt.toInstant()))
                .setRequester(Actor.newBuilder()
                        .setType(ActorType.valueOf(attempt.requesterType))
                        .setId(attempt.requesterId)
                        .setOrganizationId(attempt.organizationId.toString())
                        .setClientId(attempt.clientId == null ? "" : attempt.clientId));
        if (attempt.lockId != null) {
            message.setLockId(attempt.lockId.toString());
        }
        if (attempt.commandId != null) {
            message.setCommandId(attempt.commandId.toString());
        }
        return message.build();
    }
}
