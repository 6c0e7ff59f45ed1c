-- The SHA-256 of the credential a registry change carries (its serialized lock-protocol form, which
-- includes the credential's random 128-bit id, so the digest reveals no PIN). A replica asked to
-- dispatch the change (CommandRelay) seals only a credential with exactly this digest.
ALTER TABLE action_attempt ADD COLUMN credential_digest BYTEA;
