-- How strong and how recent the sign-in behind an unlock of a door must be (RFC 9470 step-up).
-- NULL = no requirement. The acr values are the platform's ordered levels (aal1 < aal2 < phr).
ALTER TABLE door
    ADD COLUMN required_acr          TEXT    CHECK (required_acr IN ('aal1', 'aal2', 'phr')),
    ADD COLUMN max_auth_age_seconds  INTEGER CHECK (max_auth_age_seconds > 0);
