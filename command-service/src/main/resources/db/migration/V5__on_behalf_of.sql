-- A partner's unlock names on whose behalf it acts (its own reference, e.g. a guest's booking), for the audit.
ALTER TABLE action_attempt ADD COLUMN on_behalf_of TEXT CHECK (char_length(on_behalf_of) <= 200);
