-- Tenancy: every account belongs to exactly one organization.
CREATE TABLE organization (
    id          UUID        PRIMARY KEY,
    name        TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- People who sign in. Usernames are stored normalized (trimmed, lower case).
CREATE TABLE account (
    id               UUID        PRIMARY KEY,
    organization_id  UUID        NOT NULL REFERENCES organization (id),
    username         TEXT        NOT NULL UNIQUE,
    display_name     TEXT        NOT NULL,
    -- Argon2id, PHC string format.
    password_hash    TEXT        NOT NULL,
    -- The TOTP seed sealed with AES-256-GCM under the data key (bound to the account id); NULL = no TOTP.
    totp_secret      BYTEA,
    -- The last accepted TOTP time step: any step at or before it is refused (single use).
    totp_last_step   BIGINT,
    roles            TEXT[]      NOT NULL DEFAULT '{}',
    -- Consecutive failed password/TOTP attempts, and until when further attempts are refused.
    failed_attempts  INTEGER     NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    throttled_until  TIMESTAMPTZ,
    disabled         BOOLEAN     NOT NULL DEFAULT false,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (username = lower(btrim(username)) AND username <> '')
);
CREATE INDEX account_by_organization ON account (organization_id);

-- OAuth 2.0 clients. Redirect URIs are compared by exact string equality.
CREATE TABLE oauth_client (
    client_id       TEXT        PRIMARY KEY,
    name            TEXT        NOT NULL,
    redirect_uris   TEXT[]      NOT NULL,
    public_client   BOOLEAN     NOT NULL,
    -- Argon2id (PHC) of the client secret; confidential clients only.
    secret_hash     TEXT,
    allowed_scopes  TEXT[]      NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (public_client = (secret_hash IS NULL))
);

-- A sign-in in progress, bound to the browser by the portcullis_flow cookie. The bearer flow id is
-- never stored, only its SHA-256 (base64url).
CREATE TABLE login_flow (
    id_hash         TEXT        PRIMARY KEY,
    client_id       TEXT        NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    redirect_uri    TEXT        NOT NULL,
    scope           TEXT        NOT NULL,
    state           TEXT,
    nonce           TEXT,
    code_challenge  TEXT        NOT NULL,
    -- 'password' until the password was verified, then 'totp' for the account below.
    stage           TEXT        NOT NULL CHECK (stage IN ('password', 'totp')),
    account_id      UUID        REFERENCES account (id) ON DELETE CASCADE,
    password_at     TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    CHECK (stage = 'password' OR account_id IS NOT NULL)
);
CREATE INDEX login_flow_expiry ON login_flow (expires_at);

-- Authorization codes: stored as SHA-256 (base64url), short-lived, single use (used_at set atomically on redemption).
CREATE TABLE authorization_code (
    code_hash       TEXT        PRIMARY KEY,
    client_id       TEXT        NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    redirect_uri    TEXT        NOT NULL,
    scope           TEXT        NOT NULL,
    nonce           TEXT,
    code_challenge  TEXT        NOT NULL,
    account_id      UUID        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    auth_time       TIMESTAMPTZ NOT NULL,
    amr             TEXT[]      NOT NULL,
    acr             TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    used_at         TIMESTAMPTZ
);
CREATE INDEX authorization_code_expiry ON authorization_code (expires_at);
