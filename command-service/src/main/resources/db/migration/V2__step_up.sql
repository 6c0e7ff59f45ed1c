-- When policy permits only after a step-up (RFC 9470), the attempt is refused and remembers what the
-- requester must bring next time, so a retry with the same Idempotency-Key repeats the same challenge.
ALTER TABLE action_attempt
    ADD COLUMN step_up_acr_values  TEXT,
    ADD COLUMN step_up_max_age     BIGINT CHECK (step_up_max_age >= 0);
