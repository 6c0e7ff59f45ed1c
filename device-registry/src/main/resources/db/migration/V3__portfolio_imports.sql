-- A CSV import of a portfolio: validated as a whole first (problems lists every bad cell), applied only
-- when no row is invalid, in batches whose progress (processed_rows) is visible while it runs.
CREATE TABLE portfolio_import (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL,
    status           TEXT        NOT NULL CHECK (status IN ('REJECTED', 'PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    content          TEXT        NOT NULL,
    content_sha256   BYTEA       NOT NULL CHECK (octet_length(content_sha256) = 32),
    total_rows       INTEGER     NOT NULL CHECK (total_rows >= 0),
    processed_rows   INTEGER     NOT NULL DEFAULT 0 CHECK (processed_rows >= 0 AND processed_rows <= total_rows),
    created_rows     INTEGER     NOT NULL DEFAULT 0,
    problems         JSONB       NOT NULL DEFAULT '[]',
    failure          TEXT,
    created_by       TEXT        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at      TIMESTAMPTZ
);
CREATE INDEX portfolio_import_by_organization ON portfolio_import (organization_id, created_at);
