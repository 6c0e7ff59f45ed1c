-- Credentials a lock checks by itself (PINs, cards, biometric enrolments as references) and where each
-- stands on its lock. A credential is "active" only once the lock has signed for it, and "revoked" only
-- once the lock has signed for the removal (two-phase revocation, docs/registry.md "Credentials").
CREATE TABLE credential (
    id                    UUID        PRIMARY KEY,
    organization_id       UUID        NOT NULL,
    door_id               UUID        NOT NULL,
    lock_id               UUID        NOT NULL,
    -- The unit it was issued for (tenant turnover revokes by unit); the door's unit unless given.
    unit_id               UUID,
    -- The person it belongs to (a subject of identity-service); null for a guest without an account.
    holder_subject_id     TEXT        CHECK (length(holder_subject_id) BETWEEN 1 AND 200),
    label                 TEXT        CHECK (length(label) BETWEEN 1 AND 200),
    credential_type       TEXT        NOT NULL CHECK (credential_type IN ('PIN', 'CARD', 'FINGERPRINT', 'PALM_VEIN', 'FACE')),
    usage                 TEXT        NOT NULL CHECK (usage IN ('permanent', 'scheduled', 'temporary', 'one_time')),
    duress                BOOLEAN     NOT NULL DEFAULT false,
    valid_from            TIMESTAMPTZ,
    valid_until           TIMESTAMPTZ,
    -- [{"day":1,"start":480,"end":1080}, ...] in time_zone; empty = any time within the validity.
    windows               JSONB       NOT NULL DEFAULT '[]',
    time_zone             TEXT,
    max_uses              INTEGER     NOT NULL DEFAULT 0 CHECK (max_uses >= 0),
    -- PIN digits or card UID, AES-256-GCM sealed with a key that is not in the database (nonce || ciphertext+tag);
    -- null for biometric references (the template stays at the lock).
    sealed_secret         BYTEA,
    sealing_key_id        TEXT,
    -- HMAC-SHA-256 (keyed like the sealing key) of lock id and secret: a lock never holds the same PIN twice.
    secret_lookup         BYTEA,
    state                 TEXT        NOT NULL CHECK (state IN ('sync_pending', 'active', 'revoke_pending', 'revoked')),
    state_reason          TEXT,
    -- Set once a command carrying it was sealed for the lock (it may be there): only then a revocation must be confirmed.
    ever_sealed           BOOLEAN     NOT NULL DEFAULT false,
    -- The sync id of the command under way (a retry asks again with it), attempts so far, when to try next.
    sync_id               TEXT,
    sync_attempts         INTEGER     NOT NULL DEFAULT 0,
    next_sync_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_sync_error       TEXT,
    -- The lock's credential-set digest from its signed acknowledgement of the last change it confirmed.
    confirmed_digest      BYTEA,
    confirmed_at          TIMESTAMPTZ,
    revoke_requested_at   TIMESTAMPTZ,
    revoke_reason         TEXT,
    revoked_at            TIMESTAMPTZ,
    issued_by             TEXT        NOT NULL,
    turnover_id           UUID,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (door_id, organization_id) REFERENCES door (id, organization_id),
    FOREIGN KEY (unit_id, organization_id) REFERENCES unit (id, organization_id),
    FOREIGN KEY (lock_id) REFERENCES lock (id),
    CHECK (valid_until IS NULL OR valid_from IS NULL OR valid_until > valid_from),
    CHECK ((jsonb_array_length(windows) = 0) = (time_zone IS NULL)),
    CHECK ((credential_type IN ('PIN', 'CARD')) = (sealed_secret IS NOT NULL AND secret_lookup IS NOT NULL)),
    CHECK (NOT duress OR credential_type = 'PIN'),
    CHECK (state <> 'revoked' OR revoked_at IS NOT NULL),
    CHECK (state NOT IN ('revoke_pending', 'revoked') OR revoke_requested_at IS NOT NULL)
);
CREATE INDEX credential_by_organization ON credential (organization_id, state);
CREATE INDEX credential_by_lock ON credential (lock_id, state);
CREATE INDEX credential_by_unit ON credential (unit_id) WHERE unit_id IS NOT NULL;
CREATE INDEX credential_to_sync ON credential (next_sync_at) WHERE state IN ('sync_pending', 'revoke_pending');
CREATE UNIQUE INDEX credential_secret_unique_per_lock ON credential (lock_id, secret_lookup) WHERE state <> 'revoked';

-- One registry replica at a time talks to a lock about its credentials (changes are applied in order).
CREATE TABLE credential_sync_lease (
    lock_id       UUID        PRIMARY KEY REFERENCES lock (id),
    leased_until  TIMESTAMPTZ NOT NULL
);

-- What reconciliation found when a lock reported its credential inventory, and how it was resolved
-- (the platform is the authority: unexpected credentials are removed, missing ones sent again).
CREATE TABLE credential_drift (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    lock_id          UUID        NOT NULL REFERENCES lock (id),
    credential_id    UUID,
    -- unexpected: on the lock, never issued here; revocation_not_applied: revoked here, still on the lock;
    -- missing: active here, not on the lock; content_differs: same ids, different content.
    kind             TEXT        NOT NULL CHECK (kind IN ('unexpected', 'revocation_not_applied', 'missing', 'content_differs')),
    detected_at      TIMESTAMPTZ NOT NULL,
    resolved_at      TIMESTAMPTZ,
    sync_id          TEXT,
    sync_attempts    INTEGER     NOT NULL DEFAULT 0,
    UNIQUE NULLS NOT DISTINCT (lock_id, credential_id, kind, resolved_at)
);
CREATE INDEX credential_drift_open ON credential_drift (lock_id) WHERE resolved_at IS NULL;

-- Tenant turnover: a unit moves to a new tenant; the report lists every credential and grant revoked.
CREATE TABLE turnover (
    id                       UUID        PRIMARY KEY,
    organization_id          UUID        NOT NULL,
    unit_id                  UUID        NOT NULL,
    -- The previous tenants (subjects), as named or found among the unit's credential holders (JSON array).
    previous_tenant_subjects JSONB       NOT NULL DEFAULT '[]',
    requested_by             TEXT        NOT NULL,
    requested_at             TIMESTAMPTZ NOT NULL,
    reason                   TEXT        NOT NULL,
    -- Grant ids policy-service revoked (JSON array of strings).
    revoked_grants           JSONB       NOT NULL DEFAULT '[]',
    grants_error             TEXT,
    FOREIGN KEY (unit_id, organization_id) REFERENCES unit (id, organization_id)
);
ALTER TABLE credential ADD FOREIGN KEY (turnover_id) REFERENCES turnover (id);
