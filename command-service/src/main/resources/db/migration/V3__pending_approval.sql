-- A permit that needs a second person (two-person rule) waits in PENDING_APPROVAL: who may approve
-- (a role in the door's property) and until when; past that it expires without a command being sent.
ALTER TABLE action_attempt
    ADD COLUMN approval_role        TEXT,
    ADD COLUMN approval_expires_at  TIMESTAMPTZ,
    ADD CONSTRAINT action_attempt_pending_approval CHECK (status <> 'PENDING_APPROVAL'
        OR (approval_role IS NOT NULL AND approval_expires_at IS NOT NULL));
CREATE INDEX action_attempt_pending ON action_attempt (approval_expires_at) WHERE status = 'PENDING_APPROVAL';
