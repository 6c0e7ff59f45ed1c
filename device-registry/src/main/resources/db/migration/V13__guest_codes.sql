-- Guest codes: temporary PINs a tenant gives a guest for a door the tenant may open (docs/registry.md,
-- "Guest codes"). guest_of is the tenant (a subject of identity-service) who gave it: only they list and
-- revoke it through /v1/me/guest-codes. Null for every credential an operator issued.
ALTER TABLE credential ADD COLUMN guest_of TEXT CHECK (length(guest_of) BETWEEN 1 AND 200);
ALTER TABLE credential ADD CONSTRAINT credential_guest_code_is_temporary_pin
    CHECK (guest_of IS NULL OR (credential_type = 'PIN' AND usage = 'temporary' AND NOT duress AND valid_until IS NOT NULL));
CREATE INDEX credential_guest_codes ON credential (organization_id, guest_of, created_at) WHERE guest_of IS NOT NULL;
