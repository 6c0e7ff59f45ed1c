-- Orphan recovery: an organization claims a lock whose owner is gone by proving physical presence at it (the lock,
-- in recovery mode, signs the claim's random challenge with its enrolled key). Bounded: the challenge expires, a
-- claim is burned after a few wrong proofs, one open claim per (lock, claiming organization).
CREATE TABLE orphan_claim (
    id                     UUID        PRIMARY KEY,
    organization_id        UUID        NOT NULL,
    lock_id                UUID        NOT NULL REFERENCES lock (id),
    lock_organization_id   UUID        NOT NULL CHECK (lock_organization_id <> organization_id),
    door_id                UUID        NOT NULL,
    challenge              BYTEA       NOT NULL CHECK (octet_length(challenge) = 32),
    status                 TEXT        NOT NULL CHECK (status IN ('OPEN', 'RECOVERED', 'BURNED', 'EXPIRED')),
    failed_attempts        INTEGER     NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    expires_at             TIMESTAMPTZ NOT NULL,
    created_by             TEXT        NOT NULL,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
    decided_at             TIMESTAMPTZ,
    new_lock_id            UUID        REFERENCES lock (id) DEFERRABLE INITIALLY DEFERRED,
    FOREIGN KEY (door_id, organization_id) REFERENCES door (id, organization_id),
    CHECK (status <> 'RECOVERED' OR new_lock_id IS NOT NULL)
);
CREATE UNIQUE INDEX orphan_claim_one_open ON orphan_claim (lock_id, organization_id) WHERE status = 'OPEN';
CREATE INDEX orphan_claim_by_organization ON orphan_claim (organization_id);
