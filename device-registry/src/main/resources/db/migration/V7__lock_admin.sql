-- The first admin of a lock: whoever issued the one-time secret the lock enrolled with (an operator of the
-- owning organization), recorded at enrollment. Secrets remember who issued them.
ALTER TABLE enrollment_secret ADD COLUMN issued_by TEXT;
ALTER TABLE lock ADD COLUMN admin_subject_id TEXT;
