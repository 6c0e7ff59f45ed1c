-- Filters by credential and by property (GET /v1/audit?credentialId=&propertyId=, the export).

-- Which credentials an entry is about, derived from its envelope (LockEventReported.event.credential_id,
-- CredentialIssued, CredentialStateChanged, LockCredentialsReported, CredentialDriftDetected): one row per
-- (entry, credential id), written in the entry's own transaction. An index of the log, so insert-only.
-- No foreign key to audit_entry: it would change how TRUNCATE audit_entry is refused (the append-only
-- trigger must be what answers) and entries are never deleted anyway.
CREATE TABLE audit_entry_credential (
    sequence         BIGINT NOT NULL,
    organization_id  UUID,
    credential_id    TEXT   NOT NULL,
    PRIMARY KEY (sequence, credential_id)
);
CREATE INDEX audit_entry_credential_by_credential ON audit_entry_credential (organization_id, credential_id, sequence);
CREATE TRIGGER audit_entry_credential_append_only BEFORE UPDATE OR DELETE ON audit_entry_credential
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER audit_entry_credential_no_truncate BEFORE TRUNCATE ON audit_entry_credential
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- Where each door sits (DoorChanged from device-registry): door -> property, nothing personal. The newest
-- DoorChanged entry wins (source_sequence); a deleted door keeps its property, its history still belongs there.
CREATE TABLE door_property (
    organization_id  UUID   NOT NULL,
    door_id          TEXT   NOT NULL,
    property_id      TEXT   NOT NULL,
    source_sequence  BIGINT NOT NULL,
    PRIMARY KEY (organization_id, door_id)
);
CREATE INDEX door_property_by_property ON door_property (organization_id, property_id);

-- The runtime role (V10): the credential index is part of the log (insert and read only); door_property is a
-- working table (default privileges already grant it SELECT, INSERT, UPDATE, DELETE).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry_credential FROM portcullis_audit_writer;
GRANT SELECT, INSERT ON audit_entry_credential TO portcullis_audit_writer;
GRANT SELECT, INSERT, UPDATE, DELETE ON door_property TO portcullis_audit_writer;
