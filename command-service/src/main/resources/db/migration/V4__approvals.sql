-- Two-person rule: the sign-in the requester brought (policy decides again once approved), and the
-- one approval an attempt can get. A requester can never approve their own unlock.
ALTER TABLE action_attempt
    ADD COLUMN requester_authentication  BYTEA,
    ADD COLUMN approver_id               TEXT,
    ADD COLUMN approver_acr              TEXT,
    ADD COLUMN approver_auth_time        TIMESTAMPTZ,
    ADD COLUMN approved_at               TIMESTAMPTZ,
    ADD CONSTRAINT action_attempt_no_self_approval CHECK (approver_id IS NULL OR approver_id <> requester_id);
CREATE INDEX action_attempt_awaiting_approval ON action_attempt (organization_id, approval_expires_at)
    WHERE status = 'PENDING_APPROVAL';
