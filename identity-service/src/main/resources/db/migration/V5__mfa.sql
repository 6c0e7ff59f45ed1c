-- MFA, step-up and single sign-on (issue 3).

-- An organization can require a second factor for every account (also added by V4 for the admin API;
-- IF NOT EXISTS keeps both orders of the two migrations working).
ALTER TABLE organization ADD COLUMN IF NOT EXISTS require_mfa BOOLEAN NOT NULL DEFAULT false;

-- The browser's single sign-on session (cookie portcullis_session). Only the SHA-256 (base64url) of the
-- bearer value is stored. auth_time/amr/acr describe the latest authentication; password_at and
-- second_factor_at when each factor was last proven (step-up and "fresh factor" checks).
CREATE TABLE sso_session (
    id_hash             TEXT        PRIMARY KEY,
    account_id          UUID        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    auth_time           TIMESTAMPTZ NOT NULL,
    amr                 TEXT[]      NOT NULL,
    acr                 TEXT        NOT NULL,
    password_at         TIMESTAMPTZ NOT NULL,
    second_factor_at    TIMESTAMPTZ,
    -- A TOTP seed being enrolled from the account page (sealed like account.totp_secret), until confirmed.
    pending_totp_secret BYTEA,
    created_at          TIMESTAMPTZ NOT NULL,
    expires_at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX sso_session_by_account ON sso_session (account_id);
CREATE INDEX sso_session_expiry ON sso_session (expires_at);

-- Recovery codes (NIST SP 800-63B look-up secrets): 120 random bits each, stored as SHA-256, single use.
CREATE TABLE recovery_code (
    code_hash   TEXT        PRIMARY KEY,
    account_id  UUID        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    created_at  TIMESTAMPTZ NOT NULL,
    used_at     TIMESTAMPTZ
);
CREATE INDEX recovery_code_by_account ON recovery_code (account_id);

-- Login flows learn the new stages and what the authorization request demanded.
ALTER TABLE login_flow DROP CONSTRAINT IF EXISTS login_flow_stage_check;
ALTER TABLE login_flow ADD CONSTRAINT login_flow_stage_check CHECK (stage IN ('password', 'totp', 'enroll_totp'));
-- The lowest acceptable acr (from acr_values), or NULL for any.
ALTER TABLE login_flow ADD COLUMN required_acr TEXT;
-- A TOTP seed shown during forced enrollment (sealed), until the first code confirms it.
ALTER TABLE login_flow ADD COLUMN pending_totp_secret BYTEA;

-- WebAuthn credentials (passkeys). The attested credential data (credential id + COSE public key) as
-- the authenticator sent it; the signature counter is checked and advanced on every use.
CREATE TABLE webauthn_credential (
    credential_id             TEXT        PRIMARY KEY,
    account_id                UUID        NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    attested_credential_data  BYTEA       NOT NULL,
    sign_count                BIGINT      NOT NULL,
    uv_initialized            BOOLEAN     NOT NULL,
    backup_eligible           BOOLEAN,
    backup_state              BOOLEAN,
    created_at                TIMESTAMPTZ NOT NULL,
    last_used_at              TIMESTAMPTZ
);
CREATE INDEX webauthn_credential_by_account ON webauthn_credential (account_id);
-- A WebAuthn challenge is single-use and bound to one flow (sign-in) or one session (registration).
ALTER TABLE login_flow ADD COLUMN webauthn_challenge TEXT;
ALTER TABLE sso_session ADD COLUMN webauthn_challenge TEXT;
