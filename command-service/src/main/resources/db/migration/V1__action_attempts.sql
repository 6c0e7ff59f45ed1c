-- One row per unlock request, keyed for idempotency by (organization, requester, idempotency key).
CREATE TABLE action_attempt (
    id                UUID        PRIMARY KEY,
    organization_id   UUID        NOT NULL,
    requester_type    TEXT        NOT NULL,
    requester_id      TEXT        NOT NULL,
    client_id         TEXT,
    idempotency_key   TEXT        NOT NULL,
    door_id           UUID        NOT NULL,
    lock_id           UUID,
    action            TEXT        NOT NULL,
    method            TEXT        NOT NULL,
    status            TEXT        NOT NULL,
    reasons           TEXT        NOT NULL DEFAULT '',
    decision_id       TEXT,
    policy_version    TEXT,
    grant_id          TEXT,
    command_id        UUID UNIQUE,
    key_epoch         INTEGER,
    counter           BIGINT,
    command_hash      BYTEA,
    expires_at        TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT action_attempt_idempotency UNIQUE (organization_id, requester_id, idempotency_key),
    CONSTRAINT action_attempt_status CHECK (status IN
        ('REQUESTED', 'PENDING_APPROVAL', 'AUTHORIZED', 'DISPATCHED', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'DENIED'))
);
CREATE INDEX action_attempt_by_door ON action_attempt (organization_id, door_id, created_at);

-- The platform's command counter per lock and key epoch: strictly increasing, never reused.
-- One counter per (lock, key epoch): a (key, nonce) pair is never used twice, even if a stale
-- registry read names an older epoch again.
CREATE TABLE lock_counter (
    lock_id    UUID    NOT NULL,
    key_epoch  INTEGER NOT NULL,
    counter    BIGINT  NOT NULL,
    PRIMARY KEY (lock_id, key_epoch)
);
