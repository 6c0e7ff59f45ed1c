-- Offline codes (docs/registry.md "Offline codes"): the per-lock secret travels to the lock as a credential of
-- type OFFLINE_CODES (sealed at rest like a PIN); each code issued from it is recorded, never the code itself.
ALTER TABLE credential DROP CONSTRAINT credential_credential_type_check;
ALTER TABLE credential ADD CONSTRAINT credential_credential_type_check
    CHECK (credential_type IN ('PIN', 'CARD', 'FINGERPRINT', 'PALM_VEIN', 'FACE', 'OFFLINE_CODES'));
ALTER TABLE credential DROP CONSTRAINT credential_check2;
ALTER TABLE credential ADD CONSTRAINT credential_secret_sealed
    CHECK ((credential_type IN ('PIN', 'CARD', 'OFFLINE_CODES')) = (sealed_secret IS NOT NULL AND secret_lookup IS NOT NULL));
-- at most one offline-code secret the lock should hold at a time (rotation revokes the previous one first)
CREATE UNIQUE INDEX credential_one_offline_secret ON credential (lock_id)
    WHERE credential_type = 'OFFLINE_CODES' AND state IN ('sync_pending', 'active');

CREATE TABLE offline_code (
    id                 UUID        PRIMARY KEY,
    organization_id    UUID        NOT NULL,
    lock_id            UUID        NOT NULL REFERENCES lock (id),
    -- the offline-code secret it was derived from
    credential_id      UUID        NOT NULL REFERENCES credential (id),
    window_start       TIMESTAMPTZ NOT NULL,
    window_end         TIMESTAMPTZ NOT NULL CHECK (window_end > window_start),
    holder_subject_id  TEXT        CHECK (length(holder_subject_id) BETWEEN 1 AND 200),
    label              TEXT        CHECK (length(label) BETWEEN 1 AND 200),
    issued_by          TEXT        NOT NULL,
    issued_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX offline_code_by_lock ON offline_code (lock_id, window_start);
