-- Signed firmware manifests (verified with the lock model's firmware signing key before they are stored),
-- rollouts of a manifest to locks in stages, and each lock's state in a rollout.
CREATE TABLE firmware_manifest (
    id                 UUID        PRIMARY KEY,
    organization_id    UUID        NOT NULL,
    lock_model_id      UUID        NOT NULL,
    firmware_version   TEXT        NOT NULL,
    channel            TEXT        NOT NULL CHECK (channel IN ('STABLE', 'BETA', 'SECURITY')),
    image_sha256       BYTEA       NOT NULL CHECK (octet_length(image_sha256) = 32),
    image_size         BIGINT      NOT NULL CHECK (image_size > 0),
    min_upgrade_from   TEXT,
    max_upgrade_from   TEXT,
    signing_key_id     TEXT        NOT NULL,
    released_at        TIMESTAMPTZ NOT NULL,
    signed_manifest    BYTEA       NOT NULL,
    uploaded_by        TEXT        NOT NULL,
    uploaded_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (id, organization_id),
    UNIQUE (lock_model_id, firmware_version, channel),
    FOREIGN KEY (lock_model_id, organization_id) REFERENCES lock_model (id, organization_id)
);

CREATE TABLE firmware_rollout (
    id                 UUID        PRIMARY KEY,
    organization_id    UUID        NOT NULL,
    manifest_id        UUID        NOT NULL,
    created_by         TEXT        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (id, organization_id),
    FOREIGN KEY (manifest_id, organization_id) REFERENCES firmware_manifest (id, organization_id)
);

CREATE TABLE firmware_rollout_lock (
    rollout_id         UUID        NOT NULL REFERENCES firmware_rollout (id),
    lock_id            UUID        NOT NULL REFERENCES lock (id),
    stage              INTEGER     NOT NULL CHECK (stage >= 1),
    target_version     TEXT        NOT NULL,
    state              TEXT        NOT NULL CHECK (state IN ('PENDING', 'IN_PROGRESS', 'SUCCEEDED', 'FAILED')),
    detail             TEXT,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (rollout_id, lock_id)
);
CREATE INDEX firmware_rollout_lock_by_lock ON firmware_rollout_lock (lock_id, updated_at);
