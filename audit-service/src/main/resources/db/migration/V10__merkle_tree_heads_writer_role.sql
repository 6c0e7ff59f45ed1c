-- Tamper evidence beyond the chain: an RFC 9162 Merkle tree over the entries in sequence order
-- (leaf i = entry i + 1, leaf hash = SHA-256(0x00 || the entry's hash input), node = SHA-256(0x01 || left || right)),
-- signed tree heads, and the insert-only role the service writes with.

-- The hash of every complete, aligned subtree: MTH of leaves [node_index * 2^level, (node_index + 1) * 2^level).
-- Every other node of a tree of any size is computed from these (at most about 2 rows per entry).
CREATE TABLE merkle_subtree (
    level       INTEGER NOT NULL CHECK (level BETWEEN 0 AND 62),
    node_index  BIGINT  NOT NULL CHECK (node_index >= 0),
    hash        BYTEA   NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, node_index)
);

-- How far the tree covers the chain: entries 1..tree_size, the last one's entry hash. Only grows.
CREATE TABLE merkle_state (
    id               SMALLINT PRIMARY KEY CHECK (id = 1),
    tree_size        BIGINT   NOT NULL CHECK (tree_size >= 0),
    last_entry_hash  BYTEA    NOT NULL CHECK (octet_length(last_entry_hash) = 32)
);
INSERT INTO merkle_state (id, tree_size, last_entry_hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Signed tree heads. signature = Ed25519 over u32(len(TAG)) || TAG || u64(tree_size) || u64(timestamp_millis)
-- || u32(32) || root_hash, TAG = "portcullis/audit/tree-head/v1"; the key is a file, never in this database.
CREATE TABLE tree_head (
    id                BIGSERIAL   PRIMARY KEY,
    tree_size         BIGINT      NOT NULL CHECK (tree_size >= 0),
    root_hash         BYTEA       NOT NULL CHECK (octet_length(root_hash) = 32),
    timestamp_millis  BIGINT      NOT NULL,
    key_id            TEXT        NOT NULL,
    signature         BYTEA       NOT NULL
);
CREATE INDEX tree_head_by_size ON tree_head (tree_size, id);

CREATE FUNCTION audit_reject_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER merkle_subtree_append_only BEFORE UPDATE OR DELETE ON merkle_subtree
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER merkle_subtree_no_truncate BEFORE TRUNCATE ON merkle_subtree
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER tree_head_append_only BEFORE UPDATE OR DELETE ON tree_head
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER tree_head_no_truncate BEFORE TRUNCATE ON tree_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

CREATE FUNCTION merkle_state_only_grows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.tree_size < OLD.tree_size THEN
        RAISE EXCEPTION 'the Merkle tree only grows (% -> %)', OLD.tree_size, NEW.tree_size
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER merkle_state_grows BEFORE UPDATE ON merkle_state
    FOR EACH ROW EXECUTE FUNCTION merkle_state_only_grows();
CREATE TRIGGER merkle_state_no_delete BEFORE DELETE ON merkle_state
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER merkle_state_no_truncate BEFORE TRUNCATE ON merkle_state
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- The chain head moves only through audit_entry's insert trigger (trigger depth 2), one entry at a time.
CREATE FUNCTION chain_head_moved_by_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF pg_trigger_depth() < 2 OR NEW.sequence <> OLD.sequence + 1 THEN
        RAISE EXCEPTION 'chain_head moves only when an entry is appended'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER chain_head_moves_on_append BEFORE UPDATE ON chain_head
    FOR EACH ROW EXECUTE FUNCTION chain_head_moved_by_append_only();
CREATE TRIGGER chain_head_no_delete BEFORE DELETE ON chain_head
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
CREATE TRIGGER chain_head_no_truncate BEFORE TRUNCATE ON chain_head
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();

-- The role the service's runtime datasource connects as (quarkus.datasource.username); Flyway migrates as
-- the owner (quarkus.flyway.username). Not the owner, so it cannot disable triggers, and on the log tables it
-- may only INSERT and SELECT. In production the role is declared by the platform (CloudNativePG managed
-- roles, docs/audit.md) with a password; here it is created when missing (the dev cluster trusts 127.0.0.1).
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portcullis_audit_writer') THEN
        CREATE ROLE portcullis_audit_writer LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;
    END IF;
EXCEPTION
    -- another database of the same cluster created it at the same moment
    WHEN duplicate_object OR unique_violation THEN NULL;
END
$$;

DO $$
DECLARE
    log_tables CONSTANT TEXT[] := ARRAY['audit_entry', 'chain_head', 'merkle_subtree', 'merkle_state', 'tree_head',
        'flyway_schema_history'];
    t RECORD;
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO portcullis_audit_writer', current_database());
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO portcullis_audit_writer', current_schema());
    -- The log: insert and read, nothing else.
    GRANT SELECT, INSERT ON audit_entry, merkle_subtree, tree_head TO portcullis_audit_writer;
    -- Heads: the appender locks chain_head (SELECT ... FOR UPDATE needs UPDATE) and the insert trigger moves
    -- it (its own trigger refuses any other update); the tree builder advances merkle_state (it only grows).
    GRANT SELECT, UPDATE (sequence, hash) ON chain_head TO portcullis_audit_writer;
    GRANT SELECT, UPDATE (tree_size, last_entry_hash) ON merkle_state TO portcullis_audit_writer;
    -- Working tables (dead letters, outbox, alerts, ...): full row access, never TRUNCATE or DDL.
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ALL (log_tables) LOOP
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO portcullis_audit_writer', t.tablename);
    END LOOP;
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO portcullis_audit_writer', current_schema());
    -- Tables of later migrations: working-table rights by default; a later log table must REVOKE UPDATE, DELETE.
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO portcullis_audit_writer',
        current_schema());
    EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT ON SEQUENCES TO portcullis_audit_writer',
        current_schema());
END
$$;
