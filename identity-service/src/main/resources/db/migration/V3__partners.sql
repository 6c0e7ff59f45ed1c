-- Partner platforms: OAuth clients that authenticate with private_key_jwt (RFC 7523) and act only in
-- the organizations that granted them scopes.

-- How a client authenticates at the token endpoint (RFC 7591 token_endpoint_auth_method), and the
-- public JWKS (JSON) a private_key_jwt client signs its assertions with.
ALTER TABLE oauth_client ADD COLUMN token_endpoint_auth_method TEXT;
ALTER TABLE oauth_client ADD COLUMN jwks TEXT;
UPDATE oauth_client SET token_endpoint_auth_method = CASE WHEN public_client THEN 'none' ELSE 'client_secret_basic' END;
ALTER TABLE oauth_client ALTER COLUMN token_endpoint_auth_method SET NOT NULL;
ALTER TABLE oauth_client DROP CONSTRAINT oauth_client_check;
ALTER TABLE oauth_client ADD CONSTRAINT oauth_client_authentication CHECK (
       (token_endpoint_auth_method = 'none'                AND public_client     AND secret_hash IS NULL     AND jwks IS NULL)
    OR (token_endpoint_auth_method = 'client_secret_basic' AND NOT public_client AND secret_hash IS NOT NULL AND jwks IS NULL)
    OR (token_endpoint_auth_method = 'private_key_jwt'     AND NOT public_client AND secret_hash IS NULL     AND jwks IS NOT NULL));

-- An organization's grant of scopes to a partner client. At most one active (unrevoked) grant per
-- client and organization; a revoked grant stays for the record.
CREATE TABLE partner_grant (
    id               UUID        PRIMARY KEY,
    client_id        TEXT        NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    organization_id  UUID        NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
    scopes           TEXT[]      NOT NULL CHECK (cardinality(scopes) > 0),
    -- The operator account that granted it (NULL for seeded grants).
    granted_by       UUID        REFERENCES account (id) ON DELETE SET NULL,
    granted_at       TIMESTAMPTZ NOT NULL,
    revoked_at       TIMESTAMPTZ
);
CREATE UNIQUE INDEX partner_grant_active ON partner_grant (client_id, organization_id) WHERE revoked_at IS NULL;

-- Single-use JWT ids: client assertions (per client) and DPoP proofs (per key thumbprint). A row is
-- inserted atomically (ON CONFLICT DO NOTHING) when a JWT is accepted, so a replay fails even when it
-- races the first use; rows are purged once the JWT could no longer be accepted anyway.
CREATE TABLE used_jti (
    kind        TEXT        NOT NULL CHECK (kind IN ('client_assertion', 'dpop_proof')),
    issuer      TEXT        NOT NULL,
    jti         TEXT        NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, issuer, jti)
);
CREATE INDEX used_jti_expiry ON used_jti (expires_at);
