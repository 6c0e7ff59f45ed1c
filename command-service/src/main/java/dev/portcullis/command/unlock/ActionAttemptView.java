package dev.portcullis.command.unlock;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.quarkus.runtime.annotations.RegisterForReflection;
import java.time.OffsetDateTime;
import java.util.List;

/** The action-attempt resource as clients see it. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionAttemptView(String id, String organizationId, String doorId, String lockId, String action,
        String status, List<String> reasons, String commandId, Requester requester, OffsetDateTime createdAt,
        OffsetDateTime updatedAt, OffsetDateTime expiresAt, Approval approval) {

    /** While pending_approval: who may approve (a role in the door's property) and until when. */
    @RegisterForReflection
    public record Approval(String eligibleRole, OffsetDateTime expiresAt) {
    }

    @RegisterForReflection
    public record Requester(String type, String id) {
    }

    public static ActionAttemptView of(ActionAttemptEntity attempt) {
        return new ActionAttemptView(attempt.id.toString(), attempt.organizationId.toString(), attempt.doorId.toString(),
                attempt.lockId == null ? null : attempt.lockId.toString(),
                attempt.action.replaceFirst("^LOCK_ACTION_", "").toLowerCase(),
                attempt.status.name().toLowerCase(), attempt.reasonList(),
                attempt.commandId == null ? null : attempt.commandId.toString(),
                new Requester(attempt.requesterType.replaceFirst("^ACTOR_TYPE_", "").toLowerCase(), attempt.requesterId),
                attempt.createdAt, attempt.updatedAt, attempt.expiresAt,
                attempt.status == AttemptStatus.PENDING_APPROVAL ? new Approval(attempt.approvalRole, attempt.approvalExpiresAt) : null);
    }
}
