-- Credential changes device-registry sends to a lock travel as action attempts too (action
-- LOCK_ACTION_CREDENTIAL_PUT / _REMOVE, requester type service). The credential itself is never stored
-- here; what the lock confirmed is: its credential-set digest from the signed acknowledgement.
ALTER TABLE action_attempt ADD COLUMN credential_set_digest BYTEA;
