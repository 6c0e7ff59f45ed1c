-- Query by time range and by outcome within an organization (GET /v1/audit?from=&to=&outcome=).
CREATE INDEX audit_entry_by_occurred ON audit_entry (organization_id, occurred_at);
CREATE INDEX audit_entry_by_outcome ON audit_entry (organization_id, outcome, sequence);
