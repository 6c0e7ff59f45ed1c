-- Token grants: one row per redeemed authorization code (one sign-in at one client). Refresh tokens
-- and recorded access tokens belong to a grant; revoking the grant revokes all of them at once
-- (refresh-token reuse, authorization-code reuse, revocation of a refresh token, RP-initiated logout).
CREATE TABLE token_grant (
    id          UUID        PRIMARY KEY,
    client_id   TEXT        NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    account_id  UUID        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    -- The SHA-256 (base64url) of the authorization code the grant came from: a second redemption of
    -- that code finds and revokes the grant. No foreign key: codes are purged soon after expiry.
    code_hash   TEXT        UNIQUE,
    scope       TEXT        NOT NULL,
    auth_time   TIMESTAMPTZ NOT NULL,
    amr         TEXT[]      NOT NULL,
    acr         TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    -- Absolute end of the refresh-token family: no refresh token of this grant outlives it.
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ,
    revoked_reason TEXT
);
CREATE INDEX token_grant_by_account ON token_grant (account_id);
CREATE INDEX token_grant_expiry ON token_grant (expires_at);

-- Refresh tokens: opaque 256-bit values stored as SHA-256 (base64url). Each use rotates the token:
-- used_at is set and a successor is issued in the same grant; presenting a used token again is reuse.
CREATE TABLE refresh_token (
    token_hash  TEXT        PRIMARY KEY,
    grant_id    UUID        NOT NULL REFERENCES token_grant (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    -- Idle lifetime: the token must be used before this (never later than the grant's expires_at).
    expires_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX refresh_token_by_grant ON refresh_token (grant_id);

-- JWT access tokens by jti: those issued under a grant (so revoking the grant revokes them), and any
-- access token revoked on its own (RFC 7009). Userinfo and introspection refuse a revoked jti.
CREATE TABLE access_token (
    jti         TEXT        PRIMARY KEY,
    grant_id    UUID        REFERENCES token_grant (id) ON DELETE CASCADE,
    client_id   TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX access_token_by_grant ON access_token (grant_id);
CREATE INDEX access_token_expiry ON access_token (expires_at);

-- OIDC RP-Initiated Logout: where a client may be sent back after logout, compared by exact string equality.
ALTER TABLE oauth_client ADD COLUMN post_logout_redirect_uris TEXT[] NOT NULL DEFAULT '{}';

-- A second redemption of a code marks it, under the code's row lock, so a grant that the first
-- redemption is still creating is refused instead of outliving the detected reuse.
ALTER TABLE authorization_code ADD COLUMN reused_at TIMESTAMPTZ;
