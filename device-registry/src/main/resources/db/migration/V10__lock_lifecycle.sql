-- Lock lifecycle: retirement (replacement, ownership transfer), factory reset, revoked keys, transfers.

-- A retired lock leaves its door (door_id NULL, the door it hung on kept in last_door_id), so that a
-- successor can take the door and every "lock on this door" join sees only the lock in service.
ALTER TABLE lock ALTER COLUMN door_id DROP NOT NULL;
ALTER TABLE lock ADD COLUMN last_door_id UUID;
ALTER TABLE lock ADD COLUMN retired_at TIMESTAMPTZ;
ALTER TABLE lock ADD COLUMN retired_reason TEXT CHECK (retired_reason IN ('REPLACED', 'TRANSFERRED', 'RECOVERED'));
ALTER TABLE lock ADD COLUMN successor_lock_id UUID REFERENCES lock (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE lock ADD CONSTRAINT lock_on_a_door_unless_retired CHECK (status = 'RETIRED' OR door_id IS NOT NULL);

-- Public keys taken out of service (replacement, transfer, factory reset). The lock row no longer carries
-- them; they stay here for verifying what the lock signed while they were valid, and enrollment refuses
-- them for good (a key id is the SHA-256 prefix of the key, so the same key is the same id).
CREATE TABLE revoked_lock_key (
    key_id           TEXT        PRIMARY KEY,
    lock_id          UUID        NOT NULL REFERENCES lock (id),
    organization_id  UUID        NOT NULL,
    algorithm        TEXT        NOT NULL CHECK (algorithm IN ('Ed25519', 'X25519')),
    spki             BYTEA       NOT NULL,
    key_epoch        INTEGER     NOT NULL,
    reason           TEXT        NOT NULL,
    revoked_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX revoked_lock_key_by_lock ON revoked_lock_key (lock_id);

-- Ownership transfer of a lock from one organization (organization_id) to another: initiated by the
-- giving organization, accepted by the receiving one, which places the lock on one of its doors.
CREATE TABLE lock_transfer (
    id                  UUID        PRIMARY KEY,
    organization_id     UUID        NOT NULL,
    lock_id             UUID        NOT NULL REFERENCES lock (id),
    to_organization_id  UUID        NOT NULL CHECK (to_organization_id <> organization_id),
    status              TEXT        NOT NULL CHECK (status IN ('PENDING', 'ACCEPTED', 'CANCELLED', 'EXPIRED')),
    expires_at          TIMESTAMPTZ NOT NULL,
    initiated_by        TEXT        NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_by          TEXT,
    decided_at          TIMESTAMPTZ,
    new_lock_id         UUID        REFERENCES lock (id) DEFERRABLE INITIALLY DEFERRED,
    CHECK (status <> 'ACCEPTED' OR (new_lock_id IS NOT NULL AND decided_at IS NOT NULL))
);
CREATE UNIQUE INDEX lock_transfer_one_pending ON lock_transfer (lock_id) WHERE status = 'PENDING';
CREATE INDEX lock_transfer_by_receiver ON lock_transfer (to_organization_id);
