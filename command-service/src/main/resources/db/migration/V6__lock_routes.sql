-- Which replica holds each connected lock's gateway stream, so an unlock arriving at any replica
-- reaches the lock (the replica that took it relays to the holder; see docs/unlocks.md). A row is
-- written when a lock's stream is authenticated and deleted when that same stream ends; an older
-- stream never overwrites a newer one.
CREATE TABLE lock_route (
    lock_id          UUID PRIMARY KEY,
    replica_id       TEXT        NOT NULL,
    replica_address  TEXT        NOT NULL,
    session_id       TEXT        NOT NULL,
    connected_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX lock_route_replica ON lock_route (replica_id);
