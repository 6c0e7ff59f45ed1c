-- The audit log: one append-only hash chain over every event on every topic.
--
-- entry_hash = SHA-256(u32(len(tag)) || tag || u64(sequence) || u32(len(previous_hash)) || previous_hash
--                      || u32(len(envelope)) || envelope), integers big-endian, tag = "portcullis/audit/entry/v1".
-- The first entry chains to 32 zero bytes. Everything hashed is stored, so anyone can re-verify.

-- The chain head: the one row every append locks, so concurrent writers never fork the chain.
CREATE TABLE chain_head (
    id        SMALLINT PRIMARY KEY CHECK (id = 1),
    sequence  BIGINT   NOT NULL CHECK (sequence >= 0),
    hash      BYTEA    NOT NULL CHECK (octet_length(hash) = 32)
);
INSERT INTO chain_head (id, sequence, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

CREATE TABLE audit_entry (
    sequence           BIGINT      PRIMARY KEY CHECK (sequence > 0),
    event_id           UUID        NOT NULL,
    organization_id    UUID,
    occurred_at        TIMESTAMPTZ,
    recorded_at        TIMESTAMPTZ NOT NULL,
    event_type         TEXT        NOT NULL,
    actor_type         TEXT,
    actor_id           TEXT,
    method             TEXT,
    door_id            TEXT,
    lock_id            TEXT,
    action_attempt_id  TEXT,
    outcome            TEXT,
    reasons            TEXT[]      NOT NULL DEFAULT '{}',
    -- The exact bytes of the EventEnvelope as received from Kafka.
    envelope           BYTEA       NOT NULL,
    previous_hash      BYTEA       NOT NULL CHECK (octet_length(previous_hash) = 32),
    entry_hash         BYTEA       NOT NULL CHECK (octet_length(entry_hash) = 32),
    CONSTRAINT audit_entry_event_id_unique UNIQUE (event_id)
);
CREATE INDEX audit_entry_by_organization ON audit_entry (organization_id, sequence);
CREATE INDEX audit_entry_by_door ON audit_entry (organization_id, door_id, sequence) WHERE door_id IS NOT NULL;
CREATE INDEX audit_entry_by_lock ON audit_entry (organization_id, lock_id, sequence) WHERE lock_id IS NOT NULL;
CREATE INDEX audit_entry_by_attempt ON audit_entry (organization_id, action_attempt_id, sequence) WHERE action_attempt_id IS NOT NULL;
CREATE INDEX audit_entry_by_actor ON audit_entry (organization_id, actor_id, sequence);

-- An entry must extend the head exactly (next sequence, previous_hash = head hash); the head then
-- moves to it. Enforced here too, so even a writer that skipped the application's lock cannot fork
-- the chain or leave a gap.
CREATE FUNCTION audit_entry_extend_head() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head chain_head%ROWTYPE;
BEGIN
    SELECT * INTO head FROM chain_head WHERE id = 1 FOR UPDATE;
    IF NEW.sequence <> head.sequence + 1 OR NEW.previous_hash <> head.hash THEN
        RAISE EXCEPTION 'audit entry % does not extend the chain head %', NEW.sequence, head.sequence
            USING ERRCODE = 'serialization_failure';
    END IF;
    UPDATE chain_head SET sequence = NEW.sequence, hash = NEW.entry_hash WHERE id = 1;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_entry_extends_head BEFORE INSERT ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_extend_head();

-- Append-only: no UPDATE, DELETE or TRUNCATE, whoever asks.
CREATE FUNCTION audit_entry_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_entry is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_reject_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_reject_change();

-- Records that could not be read as an EventEnvelope (or contradict an entry already recorded).
-- They are kept, bytes and all, for an operator; the consumer moves on.
CREATE TABLE dead_letter (
    id               BIGSERIAL   PRIMARY KEY,
    topic            TEXT        NOT NULL,
    kafka_partition  INTEGER     NOT NULL,
    kafka_offset     BIGINT      NOT NULL,
    payload          BYTEA,
    error            TEXT        NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT dead_letter_record_unique UNIQUE (topic, kafka_partition, kafka_offset)
);
