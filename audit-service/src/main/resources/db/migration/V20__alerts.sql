-- Alerts raised from audit entries, webhook subscriptions per organization, and their deliveries.

-- One alert per (kind, source): a redelivered event or a re-run of a check raises nothing new.
-- source_sequence is the audit entry the alert came from (null for a dead letter, which is no entry);
-- source_key names the source uniquely: 'entry:<sequence>' or 'dead_letter:<id>'.
CREATE TABLE alert (
    id               UUID        PRIMARY KEY,
    organization_id  UUID,
    kind             TEXT        NOT NULL,
    severity         TEXT        NOT NULL,
    door_id          TEXT,
    lock_id          TEXT,
    subject_id       TEXT,
    detail           TEXT,
    source_key       TEXT        NOT NULL,
    source_sequence  BIGINT,
    source_event_id  UUID,
    occurred_at      TIMESTAMPTZ,
    raised_at        TIMESTAMPTZ NOT NULL,
    CONSTRAINT alert_source_unique UNIQUE (kind, source_key)
);
CREATE INDEX alert_by_organization ON alert (organization_id, raised_at DESC);

CREATE TABLE webhook_subscription (
    id                UUID        PRIMARY KEY,
    organization_id   UUID        NOT NULL,
    url               TEXT        NOT NULL,
    -- Empty: every kind.
    kinds             TEXT[]      NOT NULL DEFAULT '{}',
    -- The whsec_ secret, AES-256-GCM encrypted with a key from configuration (never the database):
    -- 12-byte nonce || ciphertext || tag.
    secret_encrypted  BYTEA       NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    deleted_at        TIMESTAMPTZ
);
CREATE INDEX webhook_subscription_by_organization ON webhook_subscription (organization_id) WHERE deleted_at IS NULL;

-- One row per (alert, subscription), written in the alert's transaction; the delivery worker claims
-- due rows with FOR UPDATE SKIP LOCKED.
CREATE TABLE webhook_delivery (
    id               UUID        PRIMARY KEY,
    alert_id         UUID        NOT NULL REFERENCES alert (id),
    subscription_id  UUID        NOT NULL REFERENCES webhook_subscription (id),
    status           TEXT        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER     NOT NULL DEFAULT 0,
    next_attempt_at  TIMESTAMPTZ NOT NULL,
    last_attempt_at  TIMESTAMPTZ,
    last_status      INTEGER,
    last_error       TEXT,
    delivered_at     TIMESTAMPTZ,
    CONSTRAINT webhook_delivery_unique UNIQUE (alert_id, subscription_id)
);
CREATE INDEX webhook_delivery_due ON webhook_delivery (next_attempt_at) WHERE status = 'pending';

-- The offline check: which presence entries have already been looked at.
CREATE INDEX audit_entry_presence ON audit_entry (organization_id, lock_id, sequence) WHERE event_type = 'lock_presence_changed';
