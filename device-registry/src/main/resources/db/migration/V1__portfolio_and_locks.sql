-- The portfolio: properties (with their local time zone) and their doors. Organizations live in
-- identity-service; here they are only the tenant key every row carries.
CREATE TABLE property (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    name             TEXT        NOT NULL,
    time_zone        TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (id, organization_id)
);
CREATE INDEX property_by_organization ON property (organization_id);

-- A door belongs to a property of the same organization (the composite key makes a cross-tenant
-- door impossible to store).
CREATE TABLE door (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    property_id      UUID        NOT NULL,
    name             TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (id, organization_id),
    FOREIGN KEY (property_id, organization_id) REFERENCES property (id, organization_id)
);
CREATE INDEX door_by_organization ON door (organization_id);
CREATE INDEX door_by_property ON door (property_id);

-- One lock per door (for now). Keys are set once the lock enrolls; key_epoch counts key sets.
CREATE TABLE lock (
    id                  UUID        PRIMARY KEY,
    organization_id     UUID        NOT NULL,
    door_id             UUID        NOT NULL UNIQUE,
    model               TEXT        NOT NULL,
    status              TEXT        NOT NULL CHECK (status IN ('PENDING_ENROLLMENT', 'ENROLLED', 'RETIRED')),
    signing_key_spki    BYTEA,
    signing_key_id      TEXT,
    agreement_key_spki  BYTEA,
    agreement_key_id    TEXT,
    key_epoch           INTEGER     NOT NULL DEFAULT 0 CHECK (key_epoch >= 0),
    firmware_version    TEXT,
    enrolled_at         TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    FOREIGN KEY (door_id, organization_id) REFERENCES door (id, organization_id),
    CHECK (status <> 'ENROLLED' OR (signing_key_spki IS NOT NULL AND signing_key_id IS NOT NULL
        AND agreement_key_spki IS NOT NULL AND agreement_key_id IS NOT NULL
        AND enrolled_at IS NOT NULL AND key_epoch > 0))
);
CREATE INDEX lock_by_organization ON lock (organization_id);

-- The one-time secret a lock proves itself with when it enrolls. Only its SHA-256 is stored. A secret
-- is spent by a successful enrollment (used_at) or burned after too many wrong guesses (burned_at);
-- either way it must be re-issued.
CREATE TABLE enrollment_secret (
    lock_id          UUID        PRIMARY KEY REFERENCES lock (id),
    secret_hash      BYTEA       NOT NULL CHECK (octet_length(secret_hash) = 32),
    expires_at       TIMESTAMPTZ NOT NULL,
    used_at          TIMESTAMPTZ,
    burned_at        TIMESTAMPTZ,
    failed_attempts  INTEGER     NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
