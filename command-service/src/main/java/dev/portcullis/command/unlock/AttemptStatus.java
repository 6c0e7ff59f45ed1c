package dev.portcullis.command.unlock;

import dev.portcullis.proto.unlock.v1.ActionAttemptStatus;

/** The life of an action attempt: requested → (pending_approval) → authorized → dispatched → an end state. */
public enum AttemptStatus {
    REQUESTED, PENDING_APPROVAL, AUTHORIZED, DISPATCHED, SUCCEEDED, FAILED, EXPIRED, DENIED;

    public boolean isFinal() {
        return this == SUCCEEDED || this == FAILED || this == EXPIRED || this == DENIED;
    }

    public ActionAttemptStatus toProto() {
        return ActionAttemptStatus.valueOf("ACTION_ATTEMPT_STATUS_" + name());
    }
}
