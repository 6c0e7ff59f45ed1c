-- Device shadow: what each lock last reported (fed by the lock topic) and what it should be.
CREATE TABLE lock_shadow (
    lock_id                        UUID        PRIMARY KEY REFERENCES lock (id),
    organization_id                UUID        NOT NULL,
    -- reported
    -- the lock's clock time of its last acknowledged unlock (it relocks by itself)
    last_unlocked_at               TIMESTAMPTZ,
    door_state                     TEXT        CHECK (door_state IN ('CLOSED', 'OPEN', 'AJAR')),
    door_state_at                  TIMESTAMPTZ,
    battery_percent                INTEGER     CHECK (battery_percent BETWEEN 0 AND 100),
    battery_at                     TIMESTAMPTZ,
    tampered                       BOOLEAN     NOT NULL DEFAULT false,
    tampered_since                 TIMESTAMPTZ,
    credential_set_digest          BYTEA,
    credential_set_reported_at     TIMESTAMPTZ,
    online                         BOOLEAN     NOT NULL DEFAULT false,
    online_changed_at              TIMESTAMPTZ,
    last_seen_at                   TIMESTAMPTZ,
    -- desired (the firmware target comes from the lock's rollout; the credential set from credentials)
    desired_credential_set_digest  BYTEA,
    updated_at                     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX lock_shadow_by_organization ON lock_shadow (organization_id);

-- Lock-topic events already applied (consumers are idempotent on event_id).
CREATE TABLE processed_lock_event (
    event_id      UUID        PRIMARY KEY,
    processed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
