-- Issue 3, accounts and tenancy: organizations that require MFA, invitations, lockouts and deletion.

-- When set, every account of the organization must enroll a second factor, and a password alone
-- never suffices (the password policy then allows 8 characters instead of 15).
ALTER TABLE organization ADD COLUMN require_mfa BOOLEAN NOT NULL DEFAULT false;

-- failed_attempts counts consecutive failed password/TOTP attempts; throttled_until is now the end
-- of the lockout that the limit triggers (attempts inside it are neither judged nor counted).
COMMENT ON COLUMN account.throttled_until IS 'end of the lockout after too many consecutive failures';
ALTER TABLE account ADD COLUMN locked_at TIMESTAMPTZ;

-- An invited account has no password until it is activated; a deleted account keeps only its id
-- (a tombstone, so audit records that name it stay meaningful) and nothing personal.
ALTER TABLE account ALTER COLUMN username DROP NOT NULL;
ALTER TABLE account ALTER COLUMN password_hash DROP NOT NULL;
ALTER TABLE account ADD COLUMN activated_at TIMESTAMPTZ;
ALTER TABLE account ADD COLUMN deleted_at TIMESTAMPTZ;
UPDATE account SET activated_at = created_at WHERE password_hash IS NOT NULL;
ALTER TABLE account ADD CONSTRAINT account_deleted_is_purged CHECK (
    deleted_at IS NULL
    OR (username IS NULL AND password_hash IS NULL AND totp_secret IS NULL AND display_name = ''));
ALTER TABLE account ADD CONSTRAINT account_live_has_username CHECK (deleted_at IS NOT NULL OR username IS NOT NULL);

-- Invitations: the bearer token lives only in the link handed to the invitee; only its SHA-256 is stored.
CREATE TABLE account_invitation (
    token_hash   TEXT        PRIMARY KEY,
    account_id   UUID        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    used_at      TIMESTAMPTZ
);
CREATE INDEX account_invitation_by_account ON account_invitation (account_id);

-- Per-source (client address) throttling: failures inside the current window; from the limit on,
-- attempts from the source are refused (not judged, not counted) until the window ends.
CREATE TABLE login_source (
    source          TEXT        PRIMARY KEY,
    failures        INTEGER     NOT NULL CHECK (failures >= 0),
    window_ends_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_source_expiry ON login_source (window_ends_at);
