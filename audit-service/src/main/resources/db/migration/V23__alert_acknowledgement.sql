-- Operators acknowledge alerts of their organization: who, when, an optional note, and the audit entry
-- (alert_acknowledged) appended to the chain in the same transaction. At most one per alert (the primary
-- key): a second acknowledgement is refused (409), the first one stands.
CREATE TABLE alert_acknowledgement (
    alert_id         UUID        PRIMARY KEY REFERENCES alert (id),
    organization_id  UUID        NOT NULL,
    acknowledged_by  TEXT        NOT NULL,
    acknowledged_at  TIMESTAMPTZ NOT NULL,
    note             TEXT,
    audit_sequence   BIGINT      NOT NULL
);

-- A record, not a working table: the service's role may add acknowledgements, never change or remove them.
REVOKE UPDATE, DELETE, TRUNCATE ON alert_acknowledgement FROM portcullis_audit_writer;
GRANT SELECT, INSERT ON alert_acknowledgement TO portcullis_audit_writer;
