package dev.portcullis.command.unlock;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@Entity
@Table(name = "action_attempt")
public class ActionAttemptEntity {

    @Id
    public UUID id;

    @Column(name = "organization_id", nullable = false)
    public UUID organizationId;

    @Column(name = "requester_type", nullable = false)
    public String requesterType;

    @Column(name = "requester_id", nullable = false)
    public String requesterId;

    @Column(name = "client_id")
    public String clientId;

    /** A partner's request: on whose behalf it acts (the partner's own reference), for the audit; else null. */
    @Column(name = "on_behalf_of")
    public String onBehalfOf;

    @Column(name = "idempotency_key", nullable = false)
    public String idempotencyKey;

    @Column(name = "door_id", nullable = false)
    public UUID doorId;

    @Column(name = "lock_id")
    public UUID lockId;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String method;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public AttemptStatus status;

    /** Comma-separated reason codes. */
    @Column(nullable = false)
    public String reasons = "";

    @Column(name = "decision_id")
    public String decisionId;

    @Column(name = "policy_version")
    public String policyVersion;

    @Column(name = "grant_id")
    public String grantId;

    @Column(name = "command_id")
    public UUID commandId;

    @Column(name = "key_epoch")
    public Integer keyEpoch;

    public Long counter;

    @Column(name = "command_hash")
    public byte[] commandHash;

    /** A credential change: SHA-256 of the credential it carries (what a relayed dispatch must match). */
    @Column(name = "credential_digest")
    public byte[] credentialDigest;

    /** A credential change: the lock's credential-set digest from its signed acknowledgement. */
    @Column(name = "credential_set_digest")
    public byte[] credentialSetDigest;

    @Column(name = "expires_at")
    public OffsetDateTime expiresAt;

    /** Space-separated acr values a step-up must reach (RFC 9470); null unless policy asked for a step-up. */
    @Column(name = "step_up_acr_values")
    public String stepUpAcrValues;

    /** The most a step-up sign-in may be old, in seconds (RFC 9470 max_age); null when not asked. */
    @Column(name = "step_up_max_age")
    public Long stepUpMaxAge;

    /** While PENDING_APPROVAL: the role (in the door's property) a second approver must hold. */
    @Column(name = "approval_role")
    public String approvalRole;

    /** While PENDING_APPROVAL: the attempt expires unapproved at this instant. */
    @Column(name = "approval_expires_at")
    public OffsetDateTime approvalExpiresAt;

    /** The requester's sign-in (serialized Authentication): policy decides again with it once approved. */
    @Column(name = "requester_authentication")
    public byte[] requesterAuthentication;

    /** The second person who approved (two-person rule); null until then. */
    @Column(name = "approver_id")
    public String approverId;

    @Column(name = "approver_acr")
    public String approverAcr;

    @Column(name = "approver_auth_time")
    public OffsetDateTime approverAuthTime;

    @Column(name = "approved_at")
    public OffsetDateTime approvedAt;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    public boolean needsStepUp() {
        return stepUpAcrValues != null || stepUpMaxAge != null;
    }

    public List<String> reasonList() {
        return reasons == null || reasons.isEmpty() ? List.of() : Arrays.asList(reasons.split(","));
    }

    public void setReasons(List<String> codes) {
        reasons = String.join(",", codes);
    }
}
